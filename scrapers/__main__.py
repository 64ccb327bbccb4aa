"""``python -m scrapers parse|diff ...`` — see scrapers/cli.py."""

from scrapers.cli import main

raise SystemExit(main())
