"""Location of the user's progress and caches.

The order is: the ``--data-dir`` option, then the ``DCGAN_QUIZ_HOME`` environment
variable, then the platform's user data directory (platformdirs).
"""

import os
from pathlib import Path

ENV_VAR = "DCGAN_QUIZ_HOME"


class DataDirError(Exception):
    """The data directory cannot be created or is not a directory."""


def resolve_data_dir(option: Path | None = None) -> Path:
    """Return the data directory, created if missing.

    Raises:
        DataDirError: the path is a file, or the folder cannot be created.
    """
    if option is not None:
        path = option
    elif os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("dcgan-quiz", appauthor=False))
    path = path.expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DataDirError(
            f"the data folder {path} is a file; choose a folder with --data-dir "
            f"or {ENV_VAR}"
        ) from None
    except OSError as error:
        raise DataDirError(
            f"cannot create the data folder {path}: {error.strerror}; choose a "
            f"writable folder with --data-dir or {ENV_VAR}"
        ) from None
    return path
