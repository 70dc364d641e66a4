"""Extension objects, created once and bound to the app in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from inclusion.database import Base
from inclusion.migrating import DeferredMigrate

db = SQLAlchemy(model_class=Base)
migrate = DeferredMigrate()  # Flask-Migrate, imported when something migrates (inclusion/migrating.py)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
