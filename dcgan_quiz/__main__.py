"""Allow ``python -m dcgan_quiz``."""

from dcgan_quiz.cli import main

if __name__ == "__main__":
    main()
