"""Where the user's progress and caches live.

The order is: the ``--data-dir`` option, then the ``DCGAN_QUIZ_HOME`` environment
variable, then the platform's user data directory (platformdirs).
"""

import os
from pathlib import Path

ENV_VAR = "DCGAN_QUIZ_HOME"


def resolve_data_dir(option: Path | None = None) -> Path:
    """Return the data directory, created if missing."""
    if option is not None:
        path = option
    elif os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("dcgan-quiz", appauthor=False))
    path = path.expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path
