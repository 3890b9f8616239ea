"""The JSON API's one blueprint: every module of ``web/api`` adds its routes to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
