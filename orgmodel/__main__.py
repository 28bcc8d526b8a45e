"""``python -m orgmodel``: the same as the ``orgmodel`` command."""

from orgmodel.cli import main

if __name__ == "__main__":
    main()
