"""The curator command line (under construction)."""


def main() -> None:
    """Run the curator command line."""
