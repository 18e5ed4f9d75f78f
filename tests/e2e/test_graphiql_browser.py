"""GraphiQL in a real headless Chromium that can reach nothing but the API."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tests.support.browser import Page, headless_chromium

if TYPE_CHECKING:
    from pathlib import Path

LOGIN = (
    'mutation { login(username: "admin", password: "admin-password") { token errors { code } } }'
)
ME = "{ me { username role } }"
EDITOR = "document.querySelector({selector})?.CodeMirror"
QUERY_EDITOR = EDITOR.format(selector=json.dumps(".graphiql-query-editor .CodeMirror"))
RESPONSE = EDITOR.format(selector=json.dumps(".graphiql-response .CodeMirror"))
# the editor tools open on the headers tab: the visible one of the two tool editors
HEADERS = EDITOR.format(
    selector=json.dumps(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror")
)


def _run_from_the_editor(page: Page, document: str) -> dict[str, Any]:
    """Type ``document`` into the query editor, press the run button, read the result pane."""
    page.evaluate(f"{RESPONSE}.setValue('')")
    page.evaluate(f"{QUERY_EDITOR}.focus(); {QUERY_EDITOR}.execCommand('selectAll')")
    page.type_text(document)
    assert page.evaluate(f"{QUERY_EDITOR}.getValue()") == document
    _wait_until_graphiql_holds(page, "query", document)
    page.click(".graphiql-execute-button")
    shown = page.wait_for(f"{RESPONSE}.getValue()")
    result: dict[str, Any] = json.loads(shown)
    return result


def _wait_until_graphiql_holds(page: Page, editor: str, text: str) -> None:
    """GraphiQL takes an edit in after a short debounce (operation name, headers), then stores it."""
    page.wait_for(f"localStorage.getItem('graphiql:{editor}') === {json.dumps(text)}")


def test_graphiql_runs_queries_from_its_editor_offline_under_its_csp(
    server: str, tmp_path: Path
) -> None:
    profile = tmp_path / "chromium"
    profile.mkdir()
    with headless_chromium(profile, allowed_origin=server) as page:
        # given GraphiQL loaded from the API alone
        page.open(f"{server}/graphql")
        page.wait_for(f"Boolean({QUERY_EDITOR})")
        # then the header editor holds the Authorization hint
        hint = {"Authorization": "Bearer <token from the login mutation>"}
        assert json.loads(page.evaluate(f"{HEADERS}.getValue()")) == hint

        # when the login mutation is typed into the editor and run (the hint is not sent)
        shown = _run_from_the_editor(page, LOGIN)
        assert "data" in shown, shown
        login = shown["data"]["login"]
        assert login["errors"] == []
        assert login["token"]

        # and the token goes into the header editor before a query that needs it
        headers = json.dumps({"Authorization": f"Bearer {login['token']}"})
        page.evaluate(f"{HEADERS}.setValue({json.dumps(headers)})")
        _wait_until_graphiql_holds(page, "headers", headers)
        me = _run_from_the_editor(page, ME)

        # then the result pane shows the signed-in user
        assert me == {"data": {"me": {"username": "admin", "role": "ADMIN"}}}
        # and nothing tried to leave the machine, broke the CSP or threw
        assert page.blocked == []
        assert page.evaluate("window.__cspViolations") == []
        assert page.exceptions == []
        assert page.console_errors == []
