"""People on a real Label Studio server, as a team gets them: the admin invites, the person signs up
through the invite link with their e-mail and password, and then works with their own token."""

from __future__ import annotations

import re

import httpx


def invite(url: str, admin_token: str, email: str, password: str) -> str:
    """Sign ``email`` up through the organisation's invite link; their API token."""
    invite_url = httpx.get(f"{url}/api/invite", headers={"Authorization": f"Token {admin_token}"}, timeout=30).json()["invite_url"]
    with httpx.Client(base_url=url, follow_redirects=True, timeout=60) as browser:
        page = browser.get(invite_url)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        browser.post(invite_url, data={"email": email, "password": password, "csrfmiddlewaretoken": csrf},
                     headers={"Referer": f"{url}{invite_url}"})
        answer = browser.get("/api/current-user/token")
        answer.raise_for_status()
        return answer.json()["token"]


class Person:
    """What one signed-up person does through the API with their own token."""

    def __init__(self, url: str, token: str):
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=60)

    def next_task(self, project_id: int) -> dict | None:
        """The task the labeling stream serves this person next (None: nothing left for them)."""
        answer = self.http.get(f"/api/projects/{project_id}/next")
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        return answer.json()

    def annotate(self, task_id: int, results: list[dict]) -> int:
        answer = self.http.post(f"/api/tasks/{task_id}/annotations", json={"result": results, "lead_time": 30.0})
        answer.raise_for_status()
        return answer.json()["id"]
