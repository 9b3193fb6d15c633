"""SIGINT and SIGTERM stop a run: kernels killed at once, staging removed, the previous result kept, one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.build.execute import KernelRegistry
from helpers.build.signals import RunInterrupted, StopSignals
from helpers.io import SYNTHETIC_DIR

#: Seconds a stopped run may take to end.
STOP_LIMIT = 5.0


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie does not)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def gone(pids: list[int], within: float = 2.0) -> bool:
    """Whether every process in ``pids`` ends within ``within`` seconds."""
    deadline = time.monotonic() + within
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_signal_raises_run_interrupted_and_the_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(RunInterrupted) as err, StopSignals() as signals:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler raises before this ends
    assert (err.value.name, err.value.exit_status, str(err.value)) == ("SIGTERM", 143, "stopped by SIGTERM")
    assert isinstance(err.value, KeyboardInterrupt) and signals.received == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before
    assert RunInterrupted(signal.SIGINT).exit_status == 130


def test_signals_wait_for_a_deferred_block_and_repeats_are_ignored():
    with StopSignals() as signals:
        with signals.deferred():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGTERM)  # ignored: the run is already stopping
            time.sleep(0.1)
        assert signals.received == signal.SIGINT
        with pytest.raises(RunInterrupted, match="stopped by SIGINT"):
            signals.stop_if_received()
        signals.stop_if_received()  # raised once only


def test_registry_kills_running_kernels_and_their_children():
    registry = KernelRegistry()
    sleeper = [
        sys.executable,
        "-c",
        "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
        "'import time; time.sleep(60)']); print(flush=True); time.sleep(60)",
    ]
    first = subprocess.Popen(sleeper, start_new_session=True, stdout=subprocess.PIPE)
    first.stdout.readline()  # its child has started
    child_pids = [int(p) for p in Path(f"/proc/{first.pid}/task/{first.pid}/children").read_text().split()]
    registry.add(first)
    assert registry.running() == [first]
    assert registry.stop() == 1
    assert first.wait(timeout=STOP_LIMIT) == -signal.SIGKILL
    assert gone(child_pids)
    second = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    registry.add(second)  # started while stopping: killed at once
    assert second.wait(timeout=STOP_LIMIT) == -signal.SIGKILL
    registry.reset()
    assert registry.stopping is False and registry.running() == []
    first.stdout.close()


#: A chapter that says which kernel runs it, then works for two minutes.
SLEEPY = (
    'data_dir = ""\noutput_dir = ""',
    "import os\nimport time\nfrom pathlib import Path\n\n"
    'Path(output_dir).mkdir(parents=True, exist_ok=True)\n(Path(output_dir) / f"kernel-{os.getpid()}").touch()\n'
    "time.sleep(120)",
)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_run_ends_within_five_seconds_and_leaves_the_previous_result(
    make_book, chapter, previous_result, tmp_path, no_staging_left, signum
):
    root = make_book({"01-sleepy": chapter("Sleepy", *SLEEPY), "02-sleepy": chapter("Sleepy too", *SLEEPY)})
    out = previous_result.path
    command = [sys.executable, "-m", "helpers.build.cli", "run", "--data", str(SYNTHETIC_DIR), "--out", str(out)]
    command += ["--root", str(root), "--jobs", "2"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kernels: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while len(kernels) < 2 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            kernels = [int(p.name.split("-")[1]) for p in tmp_path.glob(".out.staging-*/results/*/kernel-*")]
        assert len(kernels) == 2, run.communicate(timeout=30) if run.poll() is not None else "no kernel started"

        if signum == signal.SIGTERM:  # meanwhile, a second run into the same folder stops at once
            second = subprocess.run(command, capture_output=True, text=True, timeout=120)
            assert second.returncode == 1
            assert second.stderr.splitlines()[0].startswith(
                f"cocapp: another cocapp run (process {run.pid}) is writing {out}"
            )
            assert second.stdout == "" and "Traceback" not in second.stderr

        sent = time.monotonic()
        run.send_signal(signum)
        stdout, stderr = run.communicate(timeout=60)
        took = time.monotonic() - sent
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
        for pid in kernels:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

    assert run.returncode == 128 + signum
    assert took < STOP_LIMIT
    assert stderr == f"cocapp: stopped by {signal.Signals(signum).name}; {out} was left as it was.\n"
    assert "Traceback" not in stdout and stdout.startswith("Validating the dataset in ")
    assert "\nExecuting 2 notebooks on SYNTHETIC data" in stdout
    assert gone(kernels), "a kernel outlived the run"
    previous_result.assert_untouched()
    assert no_staging_left(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != ".out.cache")  # the build cache may stay
    assert left == ["book", "out"]  # nor a lock file
