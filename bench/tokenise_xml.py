#!/usr/bin/env python3
"""Tokenises every *.xml file of a folder with expat and no handlers set.

    python3 bench/tokenise_xml.py DIR

The least any parser of those files spends: expat reads every byte, checks
well-formedness and reports nothing, so Python runs no code per element. The
benchmark times it as a floor of the ingest's camt.053 parsing (measure.py's
floors step). Prints "N files, M MiB". Exit 1 when a file is not well-formed.
"""
import os
import sys
import xml.parsers.expat


def main() -> int:
    folder = sys.argv[1]
    files = sorted(name for name in os.listdir(folder) if name.endswith(".xml"))
    total = 0
    for name in files:
        path = os.path.join(folder, name)
        with open(path, "rb") as fh:
            data = fh.read()
        total += len(data)
        try:
            xml.parsers.expat.ParserCreate().Parse(data, True)
        except xml.parsers.expat.ExpatError as e:
            print(f"{path}: {e}", file=sys.stderr)
            return 1
    print(f"{len(files):,} files, {total / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
