"""Open Referral HSDS: import (3.0 JSON, 3.0 tabular datapackages, 1.1/2.0 datapackages, zipped
datapackages) and export (3.0 JSON), as listings of contract section 2.

The mapping, its errors and warnings and Signpost's own conventions are specified in
docs/hsds.md. Every reader returns validated `Resource`s as a `records.Loaded` list with
`warnings`, or raises `InputError` carrying every problem of the file, each located by a path into
the JSON document (``services[3]``) or a table row (``services.csv row 5``) and the HSDS field.
"""

from .archive import read_zip_bytes
from .datapackage import read_datapackage
from .documents import parse_json_bytes, read_json
from .export import to_hsds, write_json
from .schema import PACKAGED_SCHEMA_DIR, SCHEMA_DIR_ENV, default_schema_dir, validate_hsds

__all__ = [
    "PACKAGED_SCHEMA_DIR", "SCHEMA_DIR_ENV", "default_schema_dir", "parse_json_bytes", "read_datapackage",
    "read_json", "read_zip_bytes", "to_hsds", "write_json", "validate_hsds",
]
