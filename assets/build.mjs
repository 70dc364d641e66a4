// Builds inclusion/static/build/: GOV.UK Frontend styles compiled with the alliance's
// font and colours (no GDS Transport, no crown), its JavaScript and images. Run by `make
// assets`; the output is not committed. axe-core is a test tool and stays out of it: the
// browser tests hand it to the page from node_modules (tests/e2e/support.py).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "inclusion/static/build";
mkdirSync(out, { recursive: true });

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
console.log(`built ${out}`);
