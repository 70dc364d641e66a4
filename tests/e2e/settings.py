"""Where the browser tests find Chromium and axe-core, and where they leave screenshots."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("INCLUSION_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # a test tool: never in the app's static files
AXE_URL = "/__browser-tests__/axe.min.js"  # the app serves nothing here: the browser tests answer it
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
REQUIRED = os.environ.get("INCLUSION_E2E_REQUIRED") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# CI runs these beside the PostgreSQL suite on two cores: a page that takes 1 s alone can take 6 s
# there. Waits that pass quickly when the page is right cost nothing when they are long, so both
# Playwright's actions and its `expect` assertions wait up to this before failing.
BROWSER_WAIT_MS = 20_000
