"""Users with one package each, workspaces, CSV imports, consent of free accounts and the package
assignment history."""
