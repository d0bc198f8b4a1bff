#!/usr/bin/env python
"""Django's command-line utility; the installed `mineaction` command does the same."""

from mineaction.__main__ import main

if __name__ == "__main__":
    main()
