#!/usr/bin/env python3
"""Checks the published event contract (asyncapi.yaml) against what the Swift code encodes.

usage: check_asyncapi.py ASYNCAPI_YAML SAMPLES_DIR [--catalogue CATALOGUE_JSON] [--required REQUIRED_JSON]

* ASYNCAPI_YAML must be an AsyncAPI 3 document whose schemas are valid JSON Schema 2020-12 and
  whose local `$ref`s all resolve.
* SAMPLES_DIR holds one `<Type>.json` per message type (further ones as `<Type>.<n>.json`): a
  full record value (the envelope, or the `DeadLetter` record of a `.dlq` topic). Each is
  validated against the payload schema of the message named `<Type>`. Every message type of
  the document must have a sample (the document cannot list a type the code no longer has) and
  every sample must have a message (the code cannot add a type the document lacks).
* CATALOGUE_JSON (written by the Swift test from `TopicSpec.catalogue` and
  `PayloadCatalogue.routes`) lists the topics the code knows:
  `{"topics": [{"topic", "types": [...], "partitions"?, "key"?, "writers"?, "readers"?}]}`.
  The document must have exactly these channels, each with exactly these messages, partition
  count, `x-partition-key` and the writers/readers as `x-services` of its send/receive operations.
* REQUIRED_JSON (also written by the Swift test) lists, for each object of each sample, the keys
  whose removal makes the code refuse the record for a missing field:
  `[{"file", "at": [key or index, ...], "keys": [...], "required": [...]}]`. The schema must
  require exactly those (an `if`/`then` or `anyOf` requirement counts as conditional, not required).

Prints every problem (type, JSON path, message) and exits 1 if there is any; exits 0 otherwise.
Needs PyYAML, jsonschema and referencing (deploy/local/tools.sh installs the pinned wheels).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterator

import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

BASE_URI = "urn:eco-market:asyncapi"
MAX_MESSAGE = 300
# Keywords of JSON Schema 2019-09/2020-12 that draft-07 (AsyncAPI's schema format) lacks.
NEWER_KEYWORDS = {"$defs", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor",
                  "$vocabulary", "prefixItems", "unevaluatedItems", "unevaluatedProperties", "dependentRequired",
                  "dependentSchemas", "minContains", "maxContains", "contentSchema"}


class Problems:
    """Collects problems as `subject: path: message` lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, subject: str, path: str, message: str) -> None:
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 3] + "..."
        line = f"{subject}: {path}: {message}"
        if line not in self.lines:
            self.lines.append(line)


# --------------------------------------------------------------------------- document helpers

def walk(node: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    """Every (JSON path, value) of a parsed document, depth first."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")


def pointer(doc: Any, ref: str) -> Any:
    """The value a local `#/a/b` reference points at; KeyError if it does not resolve."""
    if not ref.startswith("#"):
        raise KeyError(f"{ref} is not a local reference")
    node = doc
    for raw in ref[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(f"{ref} does not resolve (no '{part}')")
    return node


def deref(doc: Any, node: Any) -> Any:
    """Follows `$ref` objects (AsyncAPI reference objects) to their target."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        node = pointer(doc, node["$ref"])
        seen += 1
    return node


def ref_name(node: Any, prefix: str) -> str | None:
    """`Name` when `node` is `{$ref: '<prefix>Name'}`."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith(prefix):
        return node["$ref"][len(prefix):]
    return None


# --------------------------------------------------------------------------- the checks

def check_document(doc: Any, problems: Problems) -> dict[str, Any]:
    """Structure of the AsyncAPI document; returns the channels by address."""
    if not isinstance(doc, dict):
        problems.add("document", "$", "is not a mapping")
        return {}
    version = doc.get("asyncapi")
    if not isinstance(version, str) or not re.fullmatch(r"3\.\d+\.\d+", version):
        problems.add("document", "$.asyncapi", f"expected an AsyncAPI 3.x.y version string, got {version!r}")
    for section in ("info", "channels", "operations", "components"):
        if not isinstance(doc.get(section), dict):
            problems.add("document", f"$.{section}", "missing or not a mapping")
    components = doc.get("components") if isinstance(doc.get("components"), dict) else {}
    for section in ("messages", "schemas"):
        if not isinstance(components.get(section), dict):
            problems.add("document", f"$.components.{section}", "missing or not a mapping")

    # Plain JSON only, and no accidental keys: YAML reads an unquoted date as a date, and an
    # unquoted text with `, ` inside `{...}` (or `: ` anywhere) as more keys without values.
    for path, value in walk(doc):
        if isinstance(value, (datetime.date, datetime.datetime, bytes, set)):
            problems.add("document", path, f"{value!r} is not JSON (quote it in the YAML)")
        if value is None:
            problems.add("document", path, "has no value (quote a text holding ', ' or ': ' in the YAML)")
        if isinstance(value, dict) and not all(isinstance(key, str) for key in value):
            problems.add("document", path, "has a key that is not a string (quote it in the YAML)")
        if isinstance(value, dict) and "$ref" in value:
            ref = value["$ref"]
            if not isinstance(ref, str):
                problems.add("document", path, "$ref is not a string")
                continue
            try:
                pointer(doc, ref)
            except KeyError as error:
                problems.add("document", path, str(error.args[0]))

    # Valid in both dialects: 2020-12 (what the check validates with) and draft-07 (AsyncAPI's
    # schema format, what other AsyncAPI tools read), without keywords draft-07 tools would ignore.
    schemas = components.get("schemas") if isinstance(components.get("schemas"), dict) else {}
    for name, schema in schemas.items():
        for dialect, validator in (("2020-12", Draft202012Validator), ("draft-07", Draft7Validator)):
            try:
                validator.check_schema(schema)
            except SchemaError as error:
                problems.add(f"schema {name}", f"$.components.schemas.{name}{path_suffix(error)}",
                             f"not a valid JSON Schema {dialect}: {error.message}")
        for path, value in walk(schema, f"$.components.schemas.{name}"):
            if isinstance(value, dict):
                for keyword in sorted(NEWER_KEYWORDS & set(value)):
                    problems.add(f"schema {name}", f"{path}.{keyword}", "is a 2020-12 keyword that draft-07 tools ignore")

    messages = components.get("messages") if isinstance(components.get("messages"), dict) else {}
    for name, message in messages.items():
        check_message(doc, name, message, problems)

    channels: dict[str, Any] = {}
    used: set[str] = set()
    raw_channels = doc.get("channels") if isinstance(doc.get("channels"), dict) else {}
    for channel_id, channel in raw_channels.items():
        where = f"$.channels.{channel_id}"
        if not isinstance(channel, dict):
            problems.add(f"channel {channel_id}", where, "not a mapping")
            continue
        address = channel.get("address")
        if not isinstance(address, str) or not address:
            problems.add(f"channel {channel_id}", f"{where}.address", "missing")
            continue
        if address in channels:
            problems.add(f"channel {channel_id}", f"{where}.address", f"{address} is described twice")
        channels[address] = channel
        kafka = ((channel.get("bindings") or {}).get("kafka")) or {}
        if kafka.get("topic") not in (None, address):
            problems.add(f"channel {address}", f"{where}.bindings.kafka.topic",
                         f"{kafka.get('topic')!r} differs from the address")
        if not isinstance(channel.get("x-partition-key"), str):
            problems.add(f"channel {address}", f"{where}.x-partition-key", "missing (name the record key)")
        channel_messages = channel.get("messages")
        if not isinstance(channel_messages, dict) or not channel_messages:
            problems.add(f"channel {address}", f"{where}.messages", "no messages")
            continue
        for message_id, ref in channel_messages.items():
            name = ref_name(ref, "#/components/messages/")
            if name is None:
                problems.add(f"channel {address}", f"{where}.messages.{message_id}",
                             "must be a $ref to #/components/messages/<Type>")
            elif name != message_id:
                problems.add(f"channel {address}", f"{where}.messages.{message_id}",
                             f"refers to message {name}; the id must be the type name")
            else:
                used.add(name)
    for name in sorted(set(messages) - used):
        problems.add(f"message {name}", f"$.components.messages.{name}", "is on no channel")

    raw_operations = doc.get("operations") if isinstance(doc.get("operations"), dict) else {}
    for operation_id, operation in raw_operations.items():
        where = f"$.operations.{operation_id}"
        if not isinstance(operation, dict):
            problems.add(f"operation {operation_id}", where, "not a mapping")
            continue
        if operation.get("action") not in ("send", "receive"):
            problems.add(f"operation {operation_id}", f"{where}.action", "must be send or receive")
        if ref_name(operation.get("channel"), "#/channels/") not in raw_channels:
            problems.add(f"operation {operation_id}", f"{where}.channel", "must be a $ref to one of #/channels")
        services = operation.get("x-services")
        if not isinstance(services, list) or not services or not all(isinstance(s, str) for s in services):
            problems.add(f"operation {operation_id}", f"{where}.x-services", "must list the services")
    for address, channel in channels.items():
        for action in ("send", "receive"):
            if not operations_of(doc, channel, action):
                problems.add(f"channel {address}", "$.operations", f"no {action} operation")
    return channels


def path_suffix(error: SchemaError) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)


def check_message(doc: Any, name: str, message: Any, problems: Problems) -> None:
    where = f"$.components.messages.{name}"
    if not isinstance(message, dict):
        problems.add(f"message {name}", where, "not a mapping")
        return
    if message.get("name") != name:
        problems.add(f"message {name}", f"{where}.name", f"must be {name} (the envelope type), got {message.get('name')!r}")
    if not isinstance(message.get("payload"), dict):
        problems.add(f"message {name}", f"{where}.payload", "missing")
        return
    try:
        payload = deref(doc, message["payload"])
        traits = [deref(doc, trait) for trait in message.get("traits") or []]
    except KeyError:
        return  # reported with the unresolved $ref
    key = None
    for part in [message, *traits]:
        key = ((part.get("bindings") or {}).get("kafka") or {}).get("key") or key
    if not isinstance(key, dict) or key.get("type") != "string":
        problems.add(f"message {name}", f"{where}.bindings.kafka.key", "missing (in the message or a trait) or not a string schema")
    # An envelope narrows `type` to the message name.
    if isinstance(payload, dict) and any(ref_name(part, "#/components/schemas/") == "Envelope"
                                         for part in payload.get("allOf") or []):
        const = (((payload.get("properties") or {}).get("type")) or {}).get("const")
        if const != name:
            problems.add(f"message {name}", f"{where}.payload", f"the envelope's type const is {const!r}, expected {name!r}")
        if "data" not in (payload.get("properties") or {}):
            problems.add(f"message {name}", f"{where}.payload", "the envelope does not type `data`")


def operations_of(doc: Any, channel: Any, action: str) -> list[dict[str, Any]]:
    found = []
    for operation in (doc.get("operations") or {}).values():
        if not isinstance(operation, dict) or operation.get("action") != action:
            continue
        try:
            target = deref(doc, operation.get("channel"))
        except KeyError:
            continue
        if target is channel:
            found.append(operation)
    return found


def message_types(channel: Any) -> set[str]:
    return {message_id for message_id in (channel.get("messages") or {})}


def check_catalogue(doc: Any, channels: dict[str, Any], catalogue: Any, problems: Problems) -> None:
    """The channels, messages, partitions, keys, writers and readers the code declares."""
    topics = catalogue.get("topics") if isinstance(catalogue, dict) else None
    if not isinstance(topics, list):
        problems.add("catalogue", "$.topics", "missing: expected a list of topics")
        return
    expected = {entry.get("topic"): entry for entry in topics if isinstance(entry, dict)}
    for address in sorted(set(channels) - set(expected)):
        problems.add(f"topic {address}", "$.channels", "is in the document but not in the code's catalogue")
    for address, entry in expected.items():
        channel = channels.get(address)
        if channel is None:
            problems.add(f"topic {address}", "$.channels", "is in the code's catalogue but has no channel")
            continue
        have, want = message_types(channel), set(entry.get("types") or [])
        for missing in sorted(want - have):
            problems.add(f"topic {address}", "messages", f"{missing} travels on it in the code but is not listed")
        for extra in sorted(have - want):
            problems.add(f"topic {address}", "messages", f"{extra} is listed but does not travel on it in the code")
        partitions = entry.get("partitions")
        declared = (((channel.get("bindings") or {}).get("kafka")) or {}).get("partitions")
        if partitions is not None and declared != partitions:
            problems.add(f"topic {address}", "bindings.kafka.partitions", f"is {declared!r}, the code provisions {partitions}")
        key = entry.get("key")
        if key is not None and channel.get("x-partition-key") != key:
            problems.add(f"topic {address}", "x-partition-key", f"is {channel.get('x-partition-key')!r}, the code keys it by {key!r}")
        for action, field in (("send", "writers"), ("receive", "readers")):
            services = entry.get(field)
            if services is None:
                continue
            declared_services = {s for op in operations_of(doc, channel, action) for s in op.get("x-services") or []}
            if declared_services != set(services):
                problems.add(f"topic {address}", f"{action} operations x-services",
                             f"are {sorted(declared_services)}, the code's {field} are {sorted(services)}")


def validator_for(registry: Registry, payload_ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": BASE_URI + payload_ref}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def describe(error: ValidationError) -> Iterator[tuple[str, str]]:
    """(JSON path, message) of an error, and of the alternatives when a combinator failed."""
    yield error.json_path, error.message
    for sub in sorted(error.context or [], key=lambda e: (e.json_path, e.message)):
        yield sub.json_path, f"  (alternative) {sub.message}"


def check_samples(doc: Any, channels: dict[str, Any], samples_dir: Path,
                  problems: Problems) -> dict[str, tuple[str, Any, Draft202012Validator]]:
    """Validates every sample; returns the valid ones by file name: (type, record, validator)."""
    documented = set().union(*(message_types(channel) for channel in channels.values())) if channels else set()
    samples = [(path.name.split(".")[0], path) for path in sorted(samples_dir.glob("*.json"))]
    for name in sorted(documented - {name for name, _ in samples}):
        problems.add(name, "$", "is in the document but has no sample (is it still in the code?)")
    valid: dict[str, tuple[str, Any, Draft202012Validator]] = {}
    messages = (doc.get("components") or {}).get("messages") or {}
    registry = Registry().with_resource(BASE_URI, Resource.from_contents(doc, default_specification=DRAFT202012))
    for name, path in samples:
        if name not in documented:
            problems.add(name, "$", f"the code encodes this type ({path.name}) but the document has no message for it")
            continue
        try:
            instance = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            problems.add(name, "$", f"cannot read {path.name}: {error}")
            continue
        payload = (messages.get(name) or {}).get("payload")
        ref = payload.get("$ref") if isinstance(payload, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            problems.add(name, "$", "its message payload is not a local $ref to a schema")
            continue
        validator = validator_for(registry, ref)
        try:
            errors = sorted(validator.iter_errors(instance), key=lambda e: (e.json_path, e.message))
        except Unresolvable:
            problems.add(name, "$", "cannot validate: a $ref of its schema does not resolve (see above)")
            continue
        for error in errors:
            for json_path, message in describe(error):
                problems.add(name, json_path, message if path.stem == name else f"{message} (in {path.name})")
        if not errors:
            valid[path.name] = (name, instance, validator)
    return valid


# Keywords under which a `required` applies only sometimes.
CONDITIONAL = {"if", "then", "else", "not", "anyOf", "oneOf"}


def json_path(parts: list[Any]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)


def schema_requires(validator: Draft202012Validator, instance: Any, at: list[Any]) -> bool:
    """Whether the schema refuses `instance` (one key removed at `at`) for a missing required key."""
    return any(error.validator == "required" and list(error.absolute_path) == at
               and not CONDITIONAL & {part for part in error.schema_path if isinstance(part, str)}
               for error in validator.iter_errors(instance))


def check_required(entries: Any, valid: dict[str, tuple[str, Any, Draft202012Validator]], problems: Problems) -> None:
    """Required fields exactly as the code requires them.

    `entries` (written by the Swift test) name, for each object of each sample, its keys and
    those whose removal makes the code's decoding fail for a missing field. Each key is removed
    in turn and the schema must refuse the record for that missing key exactly when the code does.
    """
    if not isinstance(entries, list):
        problems.add("required", "$", "expected a list of {file, at, keys, required}")
        return
    for entry in entries:
        sample = valid.get(entry.get("file")) if isinstance(entry, dict) else None
        if sample is None:
            continue  # invalid or unknown samples are reported already
        name, instance, validator = sample
        at = entry.get("at") or []
        for key in entry.get("keys") or []:
            copy = json.loads(json.dumps(instance))
            target = copy
            for part in at:
                target = target[part]
            target.pop(key, None)
            by_schema, by_code = schema_requires(validator, copy, at), key in (entry.get("required") or [])
            where = json_path([*at, key])
            if by_code and not by_schema:
                problems.add(name, where, "the code requires this field but the schema does not list it in `required`")
            elif by_schema and not by_code:
                problems.add(name, where, "the schema requires this field but the code does not (an optional Swift property?)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("document", type=Path, help="asyncapi.yaml")
    parser.add_argument("samples", type=Path, help="directory of <Type>.json record values")
    parser.add_argument("--catalogue", type=Path, help="JSON of the topics and types the code declares")
    parser.add_argument("--required", type=Path, help="JSON of the fields the code requires in each sample")
    args = parser.parse_args(argv)

    problems = Problems()
    try:
        doc = yaml.safe_load(args.document.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        print(f"document: $: cannot load {args.document}: {error}")
        return 1
    if not args.samples.is_dir():
        print(f"samples: $: {args.samples} is not a directory")
        return 1

    channels = check_document(doc, problems)
    extras: dict[str, Any] = {}
    for option in ("catalogue", "required"):
        path = getattr(args, option)
        if path is None:
            continue
        try:
            extras[option] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            problems.add(option, "$", f"cannot read {path}: {error}")
    if "catalogue" in extras:
        check_catalogue(doc, channels, extras["catalogue"], problems)
    valid = check_samples(doc, channels, args.samples, problems) if isinstance(doc, dict) else {}
    if "required" in extras:
        check_required(extras["required"], valid, problems)

    if problems.lines:
        for line in problems.lines:
            print(line)
        print(f"{len(problems.lines)} problem(s) in {args.document}", file=sys.stderr)
        return 1
    types = set().union(*(message_types(channel) for channel in channels.values())) if channels else set()
    print(f"ok: {args.document}: {len(channels)} channels, {len(types)} message types, {len(valid)} samples valid"
          + (", required fields as in the code" if "required" in extras else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
