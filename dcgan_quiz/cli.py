"""The `dcgan-quiz` command line.

Each command parses its options and calls one function. Commands that need
torch or matplotlib import them inside the command body, so `--help`, `list`
and `show` start without loading either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from dcgan_quiz import __version__

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a closed pipe

app = typer.Typer(
    name="dcgan-quiz",
    help="Practise defending a DCGAN's design choices, in Korean or English.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Context:
    """Options shared by every command."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir_option = data_dir

    @property
    def data_dir(self) -> Path:
        from dcgan_quiz.paths import DataDirError, resolve_data_dir

        try:
            return resolve_data_dir(self.data_dir_option)
        except DataDirError as error:
            fail(str(error))


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"dcgan-quiz {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    context: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Folder for progress and caches (default: $DCGAN_QUIZ_HOME, "
            "then the user data folder).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Practise defending a DCGAN's design choices, in Korean or English."""
    context.obj = Context(data_dir)


# Quiz commands. They import nothing heavy: torch and matplotlib load only in
# `demo`, `verify`, `train` and `stats --plot`.

Language = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of questions and messages: ko or en "
        "(default: ko when the locale is Korean, else en).",
    ),
]
BankOption = Annotated[
    str,
    typer.Option("--bank", help="A built-in bank name or the path of a bank file."),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of a table.")
]


def fail(text: str, code: int = 2) -> NoReturn:
    """Print one error line to standard error and exit; no traceback."""
    typer.echo(f"Error: {text}", err=True)
    raise typer.Exit(code)


def choose_language(value: str | None) -> str:
    from dcgan_quiz.quiz.messages import LANGUAGES, default_language

    if value is None:
        return default_language()
    if value not in LANGUAGES:
        fail(f"--lang {value!r} is not supported; use ko or en")
    return value


def make_console():
    from rich.console import Console

    return Console(highlight=False)


def open_bank(name_or_path: str):
    from dcgan_quiz.questions.loader import BankError, find_bank, load_bank

    try:
        return load_bank(find_bank(name_or_path))
    except BankError as error:
        fail(str(error))


def open_store(context: typer.Context, console):
    from dcgan_quiz.quiz.store import ProgressStore, StoreError

    try:
        store = ProgressStore.open(context.obj.data_dir)
    except StoreError as error:
        fail(str(error))
    for notice in store.notices:
        typer.echo(notice, err=True)
    return store


def prepare_out_dir(path: Path, option: str = "--out") -> Path:
    """Create the output folder now, so a bad path fails before any training."""
    if path.exists() and not path.is_dir():
        fail(f"{option} {path} is a file; name a folder for the output")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"{option} {path}: cannot create the folder ({error.strerror})")
    return path


def print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
def start(
    context: typer.Context,
    bank: BankOption = "dcgan",
    lang: Language = None,
    topic: Annotated[
        str | None, typer.Option("--topic", help="Ask only questions of this topic.")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help="Ask at most this many scheduled questions; interview follow-ups "
            "and --retry-wrong come on top.",
        ),
    ] = None,
    order: Annotated[
        str,
        typer.Option(
            "--order",
            help="due: due questions first, then new ones; bank: bank order; "
            "random: shuffled.",
        ),
    ] = "due",
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="write: type and get graded; interview: write plus follow-ups on "
            "missed points; flash: reveal and rate yourself; choice: pick an option.",
        ),
    ] = "write",
    cram: Annotated[
        bool, typer.Option("--cram", help="Also ask questions that are not due yet.")
    ] = False,
    retry_wrong: Annotated[
        bool,
        typer.Option(
            "--retry-wrong", help="Ask the questions rated 1 again at the end."
        ),
    ] = False,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed for --order random and choices.")
    ] = None,
) -> None:
    """Start a quiz session.

    From a pipe, each answer ends at an empty line or the end of input, and the
    next line holds the rating 1-4 (an empty line accepts the suggestion). In
    choice mode each answer is one line with the option number. Exit status: 0
    when the session ends or input runs out, 130 after Ctrl-C; answers given
    before either are saved.
    """
    import random

    from dcgan_quiz.quiz.scheduling import ORDERS
    from dcgan_quiz.quiz.session import MODES, Session, SessionOptions
    from dcgan_quiz.quiz.terminal import open_input

    language = choose_language(lang)
    if order not in ORDERS:
        fail(f"--order {order!r} is not valid; use one of {', '.join(ORDERS)}")
    if mode not in MODES:
        fail(f"--mode {mode!r} is not valid; use one of {', '.join(MODES)}")
    question_bank = open_bank(bank)
    if topic is not None and topic not in question_bank.topics:
        fail(
            f"--topic {topic!r} is not in bank {question_bank.id}; "
            f"topics: {', '.join(question_bank.topics)}"
        )

    console = make_console()
    store = open_store(context, console)
    options = SessionOptions(
        language=language,
        mode=mode,
        order=order,
        limit=limit,
        topic=topic,
        cram=cram,
        retry_wrong=retry_wrong,
    )
    session = Session(
        question_bank,
        store,
        options,
        console=console,
        source=open_input(),
        rng=random.Random(seed),
        run_demo=demo_runner(context, console, language),
    )
    from dcgan_quiz.quiz.store import StoreError

    with store:
        try:
            outcome = session.run()
        except StoreError as error:
            fail(str(error), code=1)
    raise typer.Exit(outcome.exit_code)


def demo_runner(context: typer.Context, console, language: str):
    """Return a function that runs a demo inside the session, or None when the
    demos are not installed."""
    try:
        from dcgan_quiz.demos import view
    except ImportError:
        return None
    runner = getattr(view, "run_demo_in_session", None)
    if runner is None:
        return None
    return lambda name: runner(
        name, console=console, data_dir=context.obj.data_dir, language=language
    )


@app.command("list")
def list_command(
    context: typer.Context,
    bank: BankOption = "dcgan",
    lang: Language = None,
    json_output: JsonOption = False,
) -> None:
    """List the questions with their topic, demo, last score and next due time."""
    from dcgan_quiz.quiz import catalog

    language = choose_language(lang)
    question_bank = open_bank(bank)
    console = make_console()
    with open_store(context, console) as store:
        if json_output:
            print_json(catalog.list_questions_json(question_bank, store))
        else:
            catalog.list_questions(question_bank, store, console, language)


@app.command()
def show(
    question_id: Annotated[
        str, typer.Argument(help="The question id, as `list` shows it.")
    ],
    bank: BankOption = "dcgan",
    lang: Language = None,
    json_output: JsonOption = False,
) -> None:
    """Show a question with its model answer, key points, mistakes and demo."""
    from dcgan_quiz.quiz import catalog

    language = choose_language(lang)
    question_bank = open_bank(bank)
    wanted = question_id.strip().lower()
    question = next((q for q in question_bank.questions if q.id == wanted), None)
    if question is None:
        fail(
            f"no question {question_id!r} in bank {question_bank.id}; "
            f"ids: {', '.join(question_bank.question_ids)}"
        )
    if json_output:
        print_json(catalog.show_question_json(question))
    else:
        catalog.show_question(question_bank, question, make_console(), language)


@app.command()
def stats(
    context: typer.Context,
    bank: BankOption = "dcgan",
    json_output: JsonOption = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also write a PNG of coverage over time."),
    ] = None,
) -> None:
    """Show per-question history: attempts, scores and next due time."""
    from dcgan_quiz.quiz import catalog

    question_bank = open_bank(bank)
    console = make_console()
    with open_store(context, console) as store:
        if json_output:
            print_json(catalog.stats_json(question_bank, store))
        else:
            catalog.print_stats(question_bank, store, console)
        if plot is not None:
            from dcgan_quiz.stats_plot import PlotPathError, plot_coverage

            try:
                plot_coverage(question_bank, store, plot)
            except PlotPathError as error:
                fail(str(error))
            if not json_output:
                typer.echo(f"Plot written to {plot}")


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Bank files to check.")],
) -> None:
    """Check bank files; every problem is printed as file:line: message."""
    from dcgan_quiz.demos.catalog import NAMES
    from dcgan_quiz.questions.validate import render_validation, validate_paths

    problems = validate_paths(paths, known_demos=NAMES)
    raise typer.Exit(render_validation(problems, len(paths), make_console()))


# The `train` command: options and error handling only; the loop lives in
# dcgan_quiz.dcgan.training and the terminal output in dcgan_quiz.train_view.


ThreadsOption = Annotated[
    int | None,
    typer.Option(
        "--threads",
        min=1,
        help="CPU threads for torch (default: torch's choice, usually one per "
        "core). 1 is much faster when another busy process shares the cores.",
    ),
]


def set_threads(threads: int | None) -> None:
    if threads is not None:
        import torch

        torch.set_num_threads(threads)


@app.command("train")
def train_command(
    context: typer.Context,
    data: Annotated[
        str,
        typer.Option(
            "--data",
            help="Training images: digits (built in, no download), a folder of "
            "PNG or JPEG images, or an .npz file with an image array.",
        ),
    ] = "digits",
    image_size: Annotated[
        int | None,
        typer.Option(
            "--image-size",
            help="Side of the square images in pixels: 16, 32, 64 or 128 "
            "(default 64, or the checkpoint's with --resume).",
        ),
    ] = None,
    nc: Annotated[
        int | None,
        typer.Option(
            "--nc",
            help="Image channels: 1 grayscale or 3 RGB (default: 1 if every "
            "image is grayscale, else 3).",
        ),
    ] = None,
    epochs: Annotated[
        int,
        typer.Option(
            "--epochs",
            min=1,
            help="Train until this many epochs are complete, counting those of "
            "a resumed checkpoint.",
        ),
    ] = 25,
    batch_size: Annotated[
        int | None,
        typer.Option("--batch-size", help="Images per step and process (default 64)."),
    ] = None,
    lr: Annotated[
        float | None,
        typer.Option(
            "--lr",
            help="Adam learning rate of G and D (default 0.0002, or 0.0005 with "
            "--data digits, whose epochs are only 28 steps).",
        ),
    ] = None,
    beta1: Annotated[
        float | None,
        typer.Option("--beta1", help="Adam beta1 of G and D (default 0.5)."),
    ] = None,
    nz: Annotated[
        int | None,
        typer.Option("--nz", help="Length of the noise vector z (default 100)."),
    ] = None,
    ngf: Annotated[
        int | None,
        typer.Option(
            "--ngf", help="Feature maps in G's last hidden layer (default 64)."
        ),
    ] = None,
    ndf: Annotated[
        int | None,
        typer.Option("--ndf", help="Feature maps in D's first layer (default 64)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Seed of initialisation, shuffling and noise (default 0, or the "
            "checkpoint's with --resume).",
        ),
    ] = None,
    device: Annotated[
        str,
        typer.Option(
            "--device",
            help="auto (CUDA, then MPS, then CPU), cpu, cuda or mps.",
        ),
    ] = "auto",
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Folder for sample grids, checkpoints and losses.png."
        ),
    ] = Path("dcgan-train"),
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            help="Continue from a checkpoint written by train, such as "
            "OUT/checkpoints/final.pt; unset options take its values.",
        ),
    ] = None,
    max_steps: Annotated[
        int | None,
        typer.Option(
            "--max-steps",
            min=1,
            help="Stop after this step (counting a resumed checkpoint's steps).",
        ),
    ] = None,
    log_every: Annotated[
        int,
        typer.Option("--log-every", min=1, help="Print a log line every N steps."),
    ] = 50,
    threads: ThreadsOption = None,
) -> None:
    """Train the DCGAN and write sample grids, checkpoints and a loss plot.

    Runs unchanged under torchrun --nproc_per_node N (CPU processes use gloo,
    GPUs NCCL); then --batch-size is per process and only rank 0 prints and
    writes files. Exit status: 0 when done, 1 if training diverged, 2 for
    invalid options, data or checkpoints, 130 after Ctrl-C.
    """
    from contextlib import nullcontext

    from dcgan_quiz.dcgan.checkpoints import load_checkpoint
    from dcgan_quiz.dcgan.config import DCGANConfig
    from dcgan_quiz.dcgan.data import DIGITS_LEARNING_RATE, open_dataset
    from dcgan_quiz.dcgan.step import TrainingDiverged
    from dcgan_quiz.dcgan.training import train
    from dcgan_quiz.train_view import TrainView

    set_threads(threads)
    is_main = process_is_main()
    try:
        state = load_checkpoint(resume) if resume is not None else None
        # Unset options take the checkpoint's values, else DCGANConfig's.
        base = state.config if state is not None else DCGANConfig()
        chosen_size = base.image_size if image_size is None else image_size
        if nc is None and state is not None:
            nc = state.config.nc
        images = open_dataset(data, chosen_size, nc=nc, cache_dir=context.obj.data_dir)
        if lr is None and state is None and data == "digits":
            lr = DIGITS_LEARNING_RATE
        config = DCGANConfig(
            nz=base.nz if nz is None else nz,
            ngf=base.ngf if ngf is None else ngf,
            ndf=base.ndf if ndf is None else ndf,
            nc=images.size(1),
            image_size=chosen_size,
            lr=base.lr if lr is None else lr,
            beta1=base.beta1 if beta1 is None else beta1,
            beta2=base.beta2,
            batch_size=base.batch_size if batch_size is None else batch_size,
        )
        if seed is None:
            seed = state.seed if state is not None else 0
        if is_main:
            prepare_out_dir(out)
        view = TrainView(make_console()) if is_main else None
        with view if view is not None else nullcontext():
            result = train(
                config,
                images,
                epochs=epochs,
                max_steps=max_steps,
                seed=seed,
                device=device,
                out_dir=out,
                resume=state,
                log_every=log_every,
                **(view.callbacks() if view is not None else {}),
            )
    except TrainingDiverged as error:
        fail_on_main(is_main, str(error), code=1)
    except (ValueError, TypeError) as error:
        # DataError, CheckpointError and DeviceError are ValueErrors, and
        # DCGANConfig raises TypeError for an option of the wrong type.
        fail_on_main(is_main, str(error), code=2)
    except KeyboardInterrupt:
        checkpoints = sorted((out / "checkpoints").glob("epoch-*.pt"))
        advice = (
            f"continue with --resume {checkpoints[-1]}; steps after it are lost"
            if checkpoints
            else "no checkpoint was written yet, because one is saved per epoch"
        )
        fail_on_main(is_main, f"interrupted; {advice}", code=130)
    if view is not None:
        view.show_summary(result)


def process_is_main() -> bool:
    """Return whether this process is rank 0, or a plain run, by torchrun's RANK."""
    import os

    return os.environ.get("RANK", "0") in ("", "0")


def fail_on_main(is_main: bool, text: str, code: int) -> NoReturn:
    """Exit with code, printing the error line only on rank 0."""
    if is_main:
        fail(text, code)
    raise typer.Exit(code)


# Demo commands. `demo` without a name lists the catalog without importing
# torch; running a demo or `verify` imports torch and matplotlib in the body.

DEVICES = ("auto", "cpu", "cuda", "mps")
SeedOption = Annotated[int, typer.Option("--seed", help="Random seed of the demo.")]
StepsOption = Annotated[
    int | None,
    typer.Option(
        "--steps",
        min=1,
        help="Training steps of each run the demo compares (default: the demo's own).",
    ),
]
FullOption = Annotated[
    bool, typer.Option("--full", help="Train longer than the quick default.")
]
DeviceOption = Annotated[
    str, typer.Option("--device", help="Device: auto, cpu, cuda or mps.")
]


def check_device(device: str) -> str:
    if device not in DEVICES:
        fail(f"--device {device!r} is not supported; use auto, cpu, cuda or mps")
    return device


def run_one_demo(context: typer.Context, name: str, options: dict, console, language):
    """Run one demo; on an unavailable device (exit 2) or a diverged training
    (exit 1), fail with one line."""
    from dcgan_quiz.dcgan.step import TrainingDiverged
    from dcgan_quiz.demos.registry import get_demo
    from dcgan_quiz.demos.view import run_demo

    data_dir = context.obj.data_dir
    out_dir = prepare_out_dir(options.pop("out_dir", None) or data_dir / "demos" / name)
    try:
        return run_demo(
            get_demo(name),
            console=console,
            language=language,
            out_dir=out_dir,
            cache_dir=data_dir,
            **options,
        )
    except TrainingDiverged as error:
        fail(f"demo {name} failed: {error}", code=1)
    except ValueError as error:
        fail(f"demo {name} cannot run: {error}", code=2)


@app.command("demo")
def demo_command(
    context: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="Demo to run; omit to list the demos.")
    ] = None,
    seed: SeedOption = 0,
    steps: StepsOption = None,
    full: FullOption = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the PNG (default: DATA_DIR/demos/NAME)."
        ),
    ] = None,
    device: DeviceOption = "auto",
    lang: Language = None,
    json_output: JsonOption = False,
    threads: ThreadsOption = None,
) -> None:
    """List the demos, or train one and report whether its claim held."""
    from dcgan_quiz.demos import catalog

    language = choose_language(lang)
    if name is None:
        from dcgan_quiz.demos.view import listing, print_listing

        if json_output:
            print_json(listing(language))
        else:
            print_listing(make_console(), language)
        return
    if catalog.find(name) is None:
        fail(f"unknown demo {name!r}; choose one of: {', '.join(catalog.NAMES)}")

    from dcgan_quiz.demos.view import print_result

    set_threads(threads)
    console = None if json_output else make_console()
    options = {
        "seed": seed,
        "steps": steps,
        "quick": not full,
        "device": check_device(device),
        "out_dir": out,
    }
    result = run_one_demo(context, name, options, console, language)
    if json_output:
        print_json(result.to_json())
    else:
        print_result(console, result)


@app.command("verify")
def verify_command(
    context: typer.Context,
    seed: SeedOption = 0,
    full: FullOption = False,
    device: DeviceOption = "auto",
    lang: Language = None,
    json_output: JsonOption = False,
    threads: ThreadsOption = None,
) -> None:
    """Run every demo and exit with status 1 if any claim does not hold."""
    from dcgan_quiz.demos import catalog
    from dcgan_quiz.demos.view import print_verify

    language = choose_language(lang)
    console = make_console()
    check_device(device)
    set_threads(threads)
    results = []
    for name in catalog.NAMES:
        options = {"seed": seed, "steps": None, "quick": not full, "device": device}
        progress_console = None if json_output else console
        results.append(run_one_demo(context, name, options, progress_console, language))
    if json_output:
        print_json([result.to_json() for result in results])
    else:
        print_verify(console, results)
    if not all(result.holds for result in results):
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        # The reader went away (`dcgan-quiz list | head -1`). Point stdout at
        # devnull so the interpreter's final flush does not fail again.
        import os
        import sys

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
