from eom.cli import main

raise SystemExit(main())
