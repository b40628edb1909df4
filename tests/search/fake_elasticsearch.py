"""A transport node that records requests and answers with canned Elasticsearch responses."""

import json

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node._base import NodeApiResponse


class RecordingNode(BaseNode):
    """Every request is kept in `requests`; answers come from `responses` by (method, path prefix).

    An answer is a (status, payload) pair, or a callable that receives the recorded request
    and returns one (for endpoints whose answer depends on the body).
    """

    requests: list = []
    responses: dict = {}

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        path = target.split("?", 1)[0]
        RecordingNode.requests.append(
            {"method": method, "path": path, "target": target, "body": body}
        )
        status, payload = 200, {"acknowledged": True}
        for (want_method, prefix), answer in RecordingNode.responses.items():
            if method == want_method and path.startswith(prefix):
                status, payload = answer(RecordingNode.requests[-1]) if callable(answer) else answer
                break
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
            ),
            duration=0.0,
            node=self.config,
        )
        return NodeApiResponse(meta, json.dumps(payload).encode("utf-8"))

    def close(self):
        pass


def recording_client():
    """An Elasticsearch client whose node is the recorder; the request log starts empty."""
    from elasticsearch import Elasticsearch

    RecordingNode.requests = []
    RecordingNode.responses = {}
    return Elasticsearch("http://es.test:9200", node_class=RecordingNode)


def decoded(request) -> object:
    """The JSON (or NDJSON lines) a request sent."""
    body = request["body"]
    if body is None:
        return None
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    if "\n" in text.strip():
        return [json.loads(line) for line in text.strip().splitlines()]
    return json.loads(text)
