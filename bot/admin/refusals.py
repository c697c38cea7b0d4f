"""The one place the office's pages answer a UserError (bot.errors): refused(), the admin blueprint's
error handler (blueprint.py registers it).

A view first says what its page does with one, then lets the checks and use cases raise:

    refuse_on_page("admin/upload.html")                # the same page again, its message shown, 400
    refuse_by_flash("admin.terms", texts.NOT_SAVED)    # its message flashed, back to the list

A view that says nothing shows the message on the error page (400). A UserError that is not the
end of the request (set-up saves what it can) is still caught where it happens.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from bot.errors import UserError


class FormError(UserError):
    """A value typed on one of the office's forms that the page cannot take."""


def refuse_on_page(template: str, **context) -> None:
    """From here on in this request, a UserError renders template with context and error=its message."""
    g.refusal = ("page", template, context)


def refuse_by_flash(endpoint: str, words: str = "{problem}") -> None:
    """From here on in this request, a UserError is flashed (its message as words' {problem}) and the
    browser sent to endpoint."""
    g.refusal = ("flash", endpoint, words)


def refused(error: UserError):
    how, where, more = g.get("refusal", ("page", "admin/error.html", None))
    if how == "flash":
        flash(more.format(problem=error))
        return redirect(url_for(where))
    if more is None:
        return render_template(where, message=str(error)), 400
    return render_template(where, **more, error=str(error)), 400
