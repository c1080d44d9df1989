"""A client written against document 004 (the orchestrator's REST Docs), run against a live standin.

Standard library only. It does what the document shows a client doing: create a deployment, poll it until it
leaves CREATE_IN_PROGRESS, follow its links (the `resources` link is a URI template), read its template, log and
extended information, list deployments with paging, stop a virtual machine, and delete it, polling until it is
gone (404 with the documented error body). It also sees a deployment fail, as a template can ask standin to.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request

TEMPLATE = """tosca_definitions_version: tosca_simple_yaml_1_0

imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml

topology_template:
  inputs:
    cpus:
      type: integer
      default: 1
  node_templates:
    server:
      type: tosca.nodes.indigo.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpus }
  outputs:
    cpus:
      value: { get_input: cpus }
"""


class Client:
    def __init__(self, endpoint, token):
        self.endpoint = endpoint.rstrip("/")
        self.token = token

    def call(self, method, url, body=None, accept="application/json"):
        if not url.startswith("http"):
            url = self.endpoint + url
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Accept", accept)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req) as resp:
                return resp.status, resp.headers, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()

    def json(self, method, url, body=None):
        status, headers, text = self.call(method, url, body)
        assert headers.get("X-Request-ID", "").startswith("req-"), headers
        return status, (json.loads(text) if text else None)

    def wait(self, uuid, while_status):
        for _ in range(50):
            status, d = self.json("GET", f"/deployments/{uuid}")
            if status != 200 or d["status"] != while_status:
                return status, d
            time.sleep(0.1)
        raise AssertionError(f"{uuid} stayed {while_status}")


def link(resource, rel):
    return next(l["href"] for l in resource["links"] if l["rel"] == rel)


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--endpoint", required=True)
    args.add_argument("--token", default="orchestrator-user-token")
    opts = args.parse_args()
    c = Client(opts.endpoint, opts.token)

    status, config = c.json("GET", "/configuration")
    assert status == 200 and "im_url" in config, config

    request = {"template": TEMPLATE, "parameters": {"cpus": 2}, "callback": "http://127.0.0.1:9/callback",
               "timeoutMins": 5, "providerTimeoutMins": 5, "maxProvidersRetry": 1, "keepLastAttempt": False,
               "userGroup": "ci"}
    status, d = c.json("POST", "/deployments", request)
    assert status == 201 and d["status"] == "CREATE_IN_PROGRESS" and d["task"] == "NONE", (status, d)
    assert [l["rel"] for l in d["links"]] == ["self", "resources", "template"], d
    uuid = d["uuid"]
    status, d = c.wait(uuid, "CREATE_IN_PROGRESS")
    assert status == 200 and d["status"] == "CREATE_COMPLETE" and d["outputs"] == {"cpus": 2}, d

    resources_url = link(d, "resources").replace("{type}", "tosca.nodes.Compute")
    status, page = c.json("GET", resources_url)
    assert status == 200 and page["page"]["totalElements"] == 1, page
    vm = page["content"][0]
    assert vm["state"] == "STARTED" and vm["toscaNodeName"] == "server", vm

    status, headers, text = c.call("GET", link(d, "template"), accept="text/plain")
    assert status == 200 and text == TEMPLATE and headers["Content-Type"].startswith("text/plain"), (status, text)
    status, _, log = c.call("GET", f"/deployments/{uuid}/log", accept="text/plain")
    assert status == 200, log
    status, _, extra = c.call("GET", f"/deployments/{uuid}/extrainfo", accept="text/plain")
    assert status == 200 and isinstance(json.loads(extra), list), extra

    status, listed = c.json("GET", "/deployments?createdBy=me&userGroup=ci&size=1")
    assert status == 200 and listed["content"][0]["uuid"] == uuid, listed
    assert [l["rel"] for l in listed["links"]] == ["self"], listed["links"]

    status, _ = c.json("POST", link(vm, "self") + "/actions", {"type": "stop"})
    assert status == 202
    status, vm = c.json("GET", link(vm, "self"))
    assert vm["state"] == "STOPPED", vm

    status, _ = c.json("PUT", f"/deployments/{uuid}", dict(request, parameters={"cpus": 4}))
    assert status == 202
    status, d = c.wait(uuid, "UPDATE_IN_PROGRESS")
    assert d["status"] == "UPDATE_COMPLETE" and d["outputs"] == {"cpus": 4}, d

    status, _ = c.json("DELETE", f"/deployments/{uuid}")
    assert status == 204
    status, gone = c.wait(uuid, "DELETE_IN_PROGRESS")
    assert status == 404 and gone == {"code": 404, "title": "Not Found",
                                      "message": f"The deployment <{uuid}> doesn't exist"}, gone

    failing = TEMPLATE.replace("\nimports:", "\nmetadata:\n  standin_fail: create\n  standin_fail_reason: no quota\n\nimports:")
    status, d = c.json("POST", "/deployments", {"template": failing})
    assert status == 201, d
    status, d = c.wait(d["uuid"], "CREATE_IN_PROGRESS")
    assert d["status"] == "CREATE_FAILED" and d["statusReason"] == "no quota", d
    status, _ = c.json("DELETE", f"/deployments/{d['uuid']}")
    assert status == 204

    status, err = c.json("POST", "/deployments", {"template": TEMPLATE, "timeoutMins": 0})
    assert status == 400 and err["code"] == 400 and err["title"] == "Bad Request", err
    print("orchestrator client: create, poll, links, template, log, extrainfo, list, stop, update, delete, failure: ok")


if __name__ == "__main__":
    sys.exit(main())
