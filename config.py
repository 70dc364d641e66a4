"""Settings: they live in inclusion/config.py, inside the package, so that an installed app has them.

This module keeps DESIGN.md's top-level config.py and `from config import TestConfig` working in
a checkout; the app itself imports inclusion.config.
"""

from inclusion.config import CONFIGS, Config, DevelopmentConfig, ProductionConfig, TestConfig

__all__ = ["CONFIGS", "Config", "DevelopmentConfig", "ProductionConfig", "TestConfig"]
