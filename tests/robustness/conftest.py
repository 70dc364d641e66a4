"""The security suite's small alliance and signed-in clients, shared with the robustness tests."""

from tests.security.conftest import client_as, world  # noqa: F401  (fixtures)
