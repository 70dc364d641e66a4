"""A browser's User-Agent string in plain words ("Chrome on Android"), parsed by ua-parser."""

from functools import lru_cache

UNKNOWN = "Unknown browser"
# ua-parser's family names, as people call the browsers.
PLAIN_NAMES = {
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "an Android app",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "an iPhone app",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
    "Samsung Internet": "Samsung Internet",
    "Mac OS X": "macOS",
    "HeadlessChrome": "Chrome (automated)",
}
_OTHER = "Other"  # what ua-parser calls a family it does not know


@lru_cache(maxsize=512)
def describe_browser(user_agent: str | None) -> str:
    """'Chrome on Android', 'Safari on iOS', 'Firefox on Windows'; UNKNOWN when nothing is recognised."""
    if not user_agent or not user_agent.strip():
        return UNKNOWN
    from ua_parser import parse  # its rules load on first use: not at app start-up

    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else None
    system = result.os.family if result.os else None
    browser = PLAIN_NAMES.get(browser, browser) if browser and browser != _OTHER else None
    system = PLAIN_NAMES.get(system, system) if system and system != _OTHER else None
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else UNKNOWN)
