"""Validates a FollowTheMoney JSON Lines file with the followthemoney library itself (run.sh
ftm FILE): every entity's schema and properties exist, every value is valid for its property's type (dates,
URLs, countries, ...) and already in its clean form, required properties are there, and every
entity reference points to an entity of the file whose schema the property accepts. Prints the
count of entities per schema as JSON; exits non-zero with the problems otherwise."""

import json
import sys

from followthemoney import model
from followthemoney.types import registry


def main(path):
    problems = []
    entities = {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            try:
                proxy = model.get_proxy(data, cleaned=False)
            except Exception as error:  # the library's InvalidData and friends
                problems.append(f"line {number}: {error}")
                continue
            if proxy.id in entities:
                problems.append(f"line {number}: id {proxy.id} is used twice")
            entities[proxy.id] = proxy
            for name in proxy.schema.required:
                if not proxy.get(name):
                    problems.append(f"line {number}: {proxy.schema.name} lacks {name}")
            for prop, value in proxy.itervalues():
                if not prop.type.validate(value):
                    problems.append(f"line {number}: {prop.name}={value!r} is not a valid {prop.type.name}")
                elif prop.type != registry.entity and prop.type.clean(value) != value:
                    problems.append(f"line {number}: {prop.name}={value!r} is not clean")
    for proxy in entities.values():
        for prop, value in proxy.itervalues():
            if prop.type != registry.entity:
                continue
            target = entities.get(value)
            if target is None:
                problems.append(f"{proxy.id}: {prop.name} names {value}, not in the file")
            elif not target.schema.is_a(prop.range):
                problems.append(f"{proxy.id}: {prop.name} names a {target.schema.name}, not a {prop.range.name}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    counts = {}
    for proxy in entities.values():
        counts[proxy.schema.name] = counts.get(proxy.schema.name, 0) + 1
    print(json.dumps(counts, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
