"""``python -m skillsim ...``: the same as the ``skillsim`` command installed with the package."""

from ._cli import main

main()
