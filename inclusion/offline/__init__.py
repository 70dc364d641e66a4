"""Logging sessions offline: the web app manifest, the service worker, and sessions sent late from a device's queue."""
