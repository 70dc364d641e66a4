// Builds inclusion/static/build/: GOV.UK Frontend styles compiled with the alliance's
// font and colours (no GDS Transport, no crown), its JavaScript and images. Run by `make
// assets`; the output is not committed. axe-core is a test tool and stays out of it: the
// browser tests hand it to the page from node_modules (tests/e2e/support.py).
// The styles and scripts are also written under fingerprinted names (app.<hash>.css) listed in
// manifest.json: the app links those and lets browsers keep them for a year
// (inclusion/static_files.py), since a changed file gets a new name.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as esbuild from "esbuild";
import * as sass from "sass";
import { injectManifest } from "workbox-build";

const out = "inclusion/static/build";
mkdirSync(out, { recursive: true });
const FINGERPRINTED = /\.[0-9a-f]{12}\.(css|js)$/;
for (const name of readdirSync(out)) {
  if (FINGERPRINTED.test(name)) rmSync(`${out}/${name}`); // an earlier build's names
}

const css = sass.compile("assets/scss/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "mixed-decls", "global-builtin", "slash-div"],
});
writeFileSync(`${out}/app.css`, css.css);

const govuk = "node_modules/govuk-frontend/dist/govuk";
cpSync(`${govuk}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
cpSync(`${govuk}/assets/images`, `${out}/images`, { recursive: true });
cpSync("assets/js", out, { recursive: true });
cpSync("assets/icons", `${out}/icons`, { recursive: true, filter: (name) => !name.endsWith(".py") });
// Logging offline (docs/offline.md): the page's script and the service worker, bundled with the
// libraries they use (workbox-*, idb) since the browser loads them without a bundler's help.
const bundle = { bundle: true, format: "esm", minify: true, target: "es2020", legalComments: "none" };
esbuild.buildSync({ ...bundle, entryPoints: ["assets/offline/offline.js"], outfile: `${out}/offline.js` });
cpSync("assets/favicon.svg", `${out}/favicon.svg`); // the alliance's own icon, not GOV.UK's crown
// govuk-frontend first: app.js imports it, so app.js names its fingerprinted copy (and changes with it).
const manifest = {};
for (const name of ["govuk-frontend.min.js", "app.css", "app.js", "session-attendees.js", "session-register.js", "session-form.js", "offline.js"]) {
  let content = readFileSync(`${out}/${name}`, "utf8");
  for (const [plain, hashed] of Object.entries(manifest)) {
    content = content.replaceAll(`"./${plain.slice("build/".length)}"`, `"./${hashed.slice("build/".length)}"`);
  }
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const hashed = name.replace(/\.(css|js)$/, `.${hash}.$1`);
  writeFileSync(`${out}/${hashed}`, content);
  manifest[`build/${name}`] = `build/${hashed}`;
}
writeFileSync(`${out}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");

// The service worker precaches this build's fingerprinted styles and scripts and the icons, under
// the addresses the app links (/static/build/...); served at /offline/sw.js (inclusion/offline/views.py).
const workerSource = `${tmpdir()}/inclusion-sw-${process.pid}.js`;
esbuild.buildSync({ ...bundle, format: "iife", entryPoints: ["assets/offline/sw.js"], outfile: workerSource, define: { "process.env.NODE_ENV": '"production"' } });
const { count, warnings } = await injectManifest({
  swSrc: workerSource,
  swDest: `${out}/sw.js`,
  globDirectory: out,
  globPatterns: ["*.*.{css,js}", "icons/*.png"],
  globIgnores: ["govuk-frontend.min.js", "sw.js"],
  modifyURLPrefix: { "": "/static/build/" },
  dontCacheBustURLsMatching: /\.[0-9a-f]{12}\./,
});
rmSync(workerSource);
for (const warning of warnings) console.warn(warning);
console.log(`service worker precaches ${count} files`);
console.log(`built ${out}`);
