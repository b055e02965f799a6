#!/usr/bin/env python3
"""Parses docker-compose.yml and deploy/k8s/*.yaml and checks them against the code: every service
they run is a product of Package.swift, every admin port they probe is that service's default
port, every SQLite file sits on a named volume, and the topic job runs `ecoctl topics create`.
Usage: check_deploy.py REPO_ROOT EXPECTED_JSON   (EXPECTED_JSON written by the Swift test:
{"services": {"registry": 8081, ...}, "products": [...], "topics": [...]})"""
import glob, json, os, re, sys
import yaml

root, expected_path = sys.argv[1], sys.argv[2]
expected = json.load(open(expected_path))
services, products = expected["services"], set(expected["products"])
problems = []

compose = yaml.safe_load(open(os.path.join(root, "docker-compose.yml")))
defined = compose.get("services", {})
kafka = defined.get("kafka", {})
if not str(kafka.get("image", "")).startswith("apache/kafka"):
    problems.append("compose: kafka must use an apache/kafka image")
if "broker,controller" not in str(kafka.get("environment", {}).get("KAFKA_PROCESS_ROLES", "")):
    problems.append("compose: kafka must run in KRaft mode (KAFKA_PROCESS_ROLES broker,controller)")
topics = defined.get("topics", {})
if topics.get("command") != ["ecoctl", "topics", "create"]:
    problems.append("compose: the topics step must run `ecoctl topics create`")
volumes = set((compose.get("volumes") or {}).keys())
for name, port in services.items():
    service = defined.get(name)
    if service is None:
        problems.append(f"compose: service {name} missing"); continue
    command = service.get("command", [])
    if not command or command[0] not in products:
        problems.append(f"compose: {name} runs {command}, not a product of Package.swift")
    env = service.get("environment", {})
    if str(env.get("ECO_ADMIN_PORT")) != str(port):
        problems.append(f"compose: {name} ECO_ADMIN_PORT {env.get('ECO_ADMIN_PORT')} != the code's {port}")
    probe = " ".join(service.get("healthcheck", {}).get("test", []))
    if f":{port}/healthz" not in probe:
        problems.append(f"compose: {name} healthcheck does not probe :{port}/healthz")
    mounts = service.get("volumes", [])
    db = str(env.get("ECO_DB", ""))
    if not any(m.split(":")[0] in volumes and db.startswith(m.split(":")[1]) for m in mounts):
        problems.append(f"compose: {name} SQLite file {db} is not on a named volume")
    if service.get("restart") not in ("unless-stopped", "always", "on-failure"):
        problems.append(f"compose: {name} has no restart policy")
    if service.get("depends_on", {}).get("topics", {}).get("condition") != "service_completed_successfully":
        problems.append(f"compose: {name} must start after the topics step")

kinds = {}
for path in sorted(glob.glob(os.path.join(root, "deploy/k8s/*.yaml"))):
    for doc in yaml.safe_load_all(open(path)):
        if doc:
            kinds.setdefault(doc["kind"], []).append(doc)
sets = {d["metadata"]["name"]: d for d in kinds.get("StatefulSet", [])}
for name, port in services.items():
    s = sets.get(name)
    if s is None:
        problems.append(f"k8s: no StatefulSet {name}"); continue
    container = s["spec"]["template"]["spec"]["containers"][0]
    if container.get("command", [None])[0] not in products:
        problems.append(f"k8s: {name} runs {container.get('command')}, not a product")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = container.get(probe, {}).get("httpGet", {})
        if get.get("path") != path or get.get("port") != port:
            problems.append(f"k8s: {name} {probe} must GET {path} on {port}, has {get}")
    if not s["spec"].get("volumeClaimTemplates"):
        problems.append(f"k8s: {name} has no persistent volume claim")
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    if str(env.get("ECO_ADMIN_PORT")) != str(port):
        problems.append(f"k8s: {name} ECO_ADMIN_PORT != {port}")
if not any(d["metadata"]["name"] == "eco-rules" for d in kinds.get("ConfigMap", [])):
    problems.append("k8s: no eco-rules ConfigMap for the rules files")
jobs = kinds.get("Job", [])
if not any(j["spec"]["template"]["spec"]["containers"][0].get("command") == ["ecoctl", "topics", "create"] for j in jobs):
    problems.append("k8s: no Job running `ecoctl topics create`")

for line in problems:
    print(line)
print(f"{len(problems)} problem(s)" if problems else "deployment files match the code")
sys.exit(1 if problems else 0)
