"""One clear sentence for each failure of the driver: what netmap was doing, which setting to check, never the password."""

from __future__ import annotations

from ..errors import NetmapError, StoreError
from .settings import Neo4jSettings
from .watchdog import Stalled

__all__ = ["translate", "reason", "retryable"]


def reason(e: BaseException) -> str:
    """The first line of an exception's message (at most 200 characters)."""
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    return msg.strip().splitlines()[0][:200]


def translate(e: BaseException, settings: Neo4jSettings, doing: str) -> NetmapError:
    """One clear sentence for a driver failure while ``doing``; never includes the password.

    ``param`` of the returned error names the setting to check (``uri``,
    ``password``, ``user``, ``database``, ``timeout``) where one is at
    fault. Errors that are not the driver's are raised again unchanged.
    """
    if isinstance(e, NetmapError):
        return e
    err = _translate(e, settings, doing)
    secret = settings.password
    if secret and len(secret) >= 4 and secret in str(err):  # a driver message that quotes it: never shown
        err = StoreError(str(err).replace(secret, "***"), param=err.param)
    return err


def _translate(e: BaseException, settings: Neo4jSettings, doing: str) -> NetmapError:
    from neo4j.exceptions import (
        AuthError,
        ConfigurationError,
        IncompleteCommit,
        Neo4jError,
        ServiceUnavailable,
        SessionExpired,
    )

    where = settings.location()
    if isinstance(e, Stalled):
        if doing == "connecting":
            return StoreError(f"{where} took the connection but did not answer within {e.seconds:g} seconds; "
                              "check that the server is running and not overloaded", param="timeout")
        return StoreError(f"{where} stopped answering while {doing}: nothing came back for {e.seconds:g} seconds; "
                          "check that the server is running and not overloaded, then try again (a load can "
                          "simply be run again: it writes only what is missing)", param="timeout")
    code = getattr(e, "code", None) or ""
    if isinstance(e, AuthError) or "Security.Unauthorized" in code or "AuthenticationRateLimit" in code:
        return StoreError(f"{where} rejected the user name or password of user '{settings.user}'; "
                          "check both", param="password")
    if "Security.Forbidden" in code:
        return StoreError(f"user '{settings.user}' is not allowed to do this on {where} while {doing}; "
                          "ask the database administrator for write access", param="user")
    if "DatabaseNotFound" in code:
        return StoreError(f"the Neo4j server at {settings.uri} has no database '{settings.database}'; "
                          "name one it has, or leave the database unset for the server's default database",
                          param="database")
    if isinstance(e, (ServiceUnavailable, SessionExpired, IncompleteCommit, ConnectionError)):
        if doing == "connecting":
            return StoreError(f"cannot reach a Neo4j server at {settings.uri}: nothing answered or the connection "
                              "was refused; check that the server is running and that the URI names the right "
                              "host and port", param="uri")
        return StoreError(f"lost the connection to {where} while {doing} (the server stopped answering); "
                          "start it again and re-run the load: loading is idempotent and writes only what is missing")
    if isinstance(e, (ConfigurationError, ValueError)):
        return StoreError(f"cannot use the Neo4j settings for {settings.uri}: {reason(e)}")
    if isinstance(e, Neo4jError):
        return StoreError(f"{where} failed while {doing}: {reason(e)}")
    if isinstance(e, OSError):
        return StoreError(f"cannot talk to {where} while {doing}: {reason(e)}")
    raise e


def retryable(e: BaseException) -> bool:
    """True for a driver failure that is worth another try (a lost connection, a deadlock)."""
    from neo4j.exceptions import DriverError, Neo4jError

    return isinstance(e, (DriverError, Neo4jError)) and bool(e.is_retryable())
