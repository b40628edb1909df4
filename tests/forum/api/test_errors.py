"""The API's answers when the database cannot be reached (forum/api/errors.py, fields.py)."""

from django.db import OperationalError, connection

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Every query of this thread's connection fails as if the server had gone away."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["status"] == 503
    assert error["code"] == "service_unavailable"
    assert error["message"]


def test_database_down_valid_filter_answers_503_not_invalid_choice(client, database_down):
    """?field=safety is a valid field: with the database down the answer is 503, never a 400
    that blames the value because the reference values could not be read."""
    assert_unavailable(client.get("/api/v1/challenges/?field=safety"))


def test_database_down_list_answers_503_json(client, database_down):
    """A list without parameters answers the JSON 503 rather than a 500."""
    assert_unavailable(client.get("/api/v1/projects/"))


def test_database_down_token_request_answers_503_json(client, database_down):
    """Checking a token needs the database: its outage is a 503, not a refused token."""
    from forum.models.api import TOKEN_PREFIX

    token = f"{TOKEN_PREFIX}{'x' * 40}"
    assert_unavailable(client.get("/api/v1/member/me/", HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_database_up_unknown_field_still_answers_400(client):
    """The values are still checked once read: an unknown field is the client's error."""
    response = client.get("/api/v1/challenges/?field=no-such-field")
    assert response.status_code == 400
    assert "field" in response.json()["error"]["details"]
