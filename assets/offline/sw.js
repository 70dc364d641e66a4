// The service worker (Workbox): the built styles and scripts are precached; the session form and
// the user's offline data (venues, recent learners, skills) are network-first, kept in a cache named
// for the signed-in user, and only when the server says the response is that user's. Sessions saved
// offline are queued by the page (offline.js), not here. docs/offline.md says what is kept and for how long.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { CacheFirst, NetworkFirst } from "workbox-strategies";
import { currentScope, DATA_PATH, FORM_PATH, OFFLINE_FORM, SCOPE_HEADER, userCache } from "./store.js";

const NETWORK_TIMEOUT_SECONDS = 6; // library wifi: after this the device's copy is used

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Kept under one key (the path), and only a plain 200 answer to this user: never a redirect to the
// sign-in page, a form resumed from a draft (?resume=1), or another user's page.
function keptFor(scope, path) {
  return {
    cacheKeyWillBeUsed: async () => path,
    cacheWillUpdate: async ({ request, response }) => {
      const plain = new URL(request.url).search === "";
      const ours = response.headers.get(SCOPE_HEADER) === scope;
      return plain && ours && response.status === 200 && !response.redirected ? response : null;
    },
  };
}

async function forTheUser(options, strategy) {
  const scope = await currentScope();
  if (!scope) return fetch(options.request); // nobody signed in on this device: nothing kept
  return strategy(scope).handle(options);
}

const sameOrigin = (url) => url.origin === self.location.origin;
const isOfflineCopy = (url) => url.searchParams.get("offline") === "1";

// The form: the network when it answers; otherwise the user's copy, under its own address
// (?offline=1) so that the page's script knows to give it a new idempotency key and today's date.
registerRoute(
  ({ url, request }) => request.method === "GET" && sameOrigin(url) && url.pathname === FORM_PATH && !isOfflineCopy(url),
  (options) =>
    forTheUser(options, (scope) =>
      new NetworkFirst({
        cacheName: userCache(scope),
        networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
        plugins: [
          keptFor(scope, FORM_PATH),
          { cachedResponseWillBeUsed: async ({ cachedResponse }) => (cachedResponse ? Response.redirect(OFFLINE_FORM, 303) : null) },
        ],
      }),
    ),
);

registerRoute(
  ({ url, request }) => request.method === "GET" && sameOrigin(url) && url.pathname === FORM_PATH && isOfflineCopy(url),
  (options) => forTheUser(options, (scope) => new CacheFirst({ cacheName: userCache(scope), plugins: [keptFor(scope, FORM_PATH)] })),
);

registerRoute(
  ({ url, request }) => request.method === "GET" && sameOrigin(url) && url.pathname === DATA_PATH,
  (options) =>
    forTheUser(options, (scope) =>
      new NetworkFirst({
        cacheName: userCache(scope),
        networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
        plugins: [keptFor(scope, DATA_PATH)],
      }),
    ),
);
