"""Reads a CSV file with Python's csv module (RFC 4180 quoting, as spreadsheets and pandas read
it): every row must be as wide as the header. Prints as JSON the header and the rows, each as an
object by column; exits non-zero with the rows at fault otherwise."""

import csv
import json
import sys


def main(path):
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, strict=True))
    if not rows:
        print("the file is empty", file=sys.stderr)
        sys.exit(1)
    header, body = rows[0], rows[1:]
    wrong = [f"row {number}: {len(row)} cells, the header has {len(header)}"
             for number, row in enumerate(body, 2) if len(row) != len(header)]
    if wrong:
        print("\n".join(wrong), file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"header": header, "rows": [dict(zip(header, row)) for row in body]}))


if __name__ == "__main__":
    main(sys.argv[1])
