"""Pure file formats: readers and writers used by the CLI and the app."""
