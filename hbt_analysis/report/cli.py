"""`hbt report`: options, plan checks, then the batch. Exit codes a scheduler can act on.

Exit codes:
    0  every report succeeded (and `latest` points to this run)
    1  the run finished but some reports failed (marked in index.html / manifest.json;
       `latest` not moved)
    2  bad arguments, plan file, parameters or data: nothing was run
    3  lock held: another `--exclusive` run of the same year is in progress (or the
       `latest` pointer lock could not be taken within --lock-timeout)
    130 interrupted (Ctrl-C, SIGTERM); kernels killed, the unfinished run folder removed
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

from .kernelpool import KERNEL_NAME
from .plan import (
    PlanError,
    YearInfo,
    build_plan,
    check_parameters,
    default_notebooks_dir,
    notebook_parameters,
    parse_parameter,
    parse_years,
    read_plan_file,
    resolve_notebooks,
)
from .runner import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    LockHeld,
    run_batch,
)

DEFAULT_OUTPUT = Path("outputs/reports")
DEFAULT_KEEP = 10
DEFAULT_TIMEOUT_S = 600.0


def describe_year(year: int, data_dir: Path | None = None) -> YearInfo:
    """Load a year once in the parent: data hash, synthetic flag, wards, previous year."""
    from hbt_analysis import available_years, load

    kwargs: dict[str, Any] = {} if data_dir is None else {"data_dir": data_dir}
    years = list(available_years(**kwargs))
    if year not in years:
        raise PlanError(
            f"Không có dữ liệu năm {year} / no data for {year} "
            f"(có / available: {', '.join(map(str, years)) or '—'})"
        )
    ds = load(year, **kwargs)
    wards = tuple(
        (str(code), str(name))
        for code, name in ds.wards[["ward_code", "ward_name"]].itertuples(index=False)
    )
    return YearInfo(
        year=year, content_hash=str(ds.content_hash), synthetic=bool(ds.synthetic),
        wards=wards, has_previous_year=any(y < year for y in years),
        files=tuple(str(f) for f in getattr(ds, "files", [])), area=ds.area,
    )


def latest_year(data_dir: Path | None = None) -> int:
    from hbt_analysis import available_years

    years = list(available_years() if data_dir is None else available_years(data_dir=data_dir))
    if not years:
        raise PlanError("Không có dữ liệu năm nào / no year of data found")
    return max(years)


def _check_kernel(name: str) -> None:
    """The kernelspec must exist (installed with the package: `hbt-analysis`)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel as exc:
        raise PlanError(
            f"Không có kernel '{name}' / no Jupyter kernel '{name}'. Cài bằng / install with: "
            f"python -m ipykernel install --sys-prefix --name {name} "
            f"--display-name \"Python ({name})\""
        ) from exc


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def register_cli(subparsers: Any) -> None:
    """Add the `report` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser(
        "report",
        help="chạy các notebook thành báo cáo HTML / run the notebooks into HTML reports",
        description=(
            "Chạy kế hoạch báo cáo (notebook × phạm vi × năm) và xuất HTML cho lãnh đạo vào "
            "<output>/<năm>/<mã-lượt-chạy>/. Run a plan of notebooks x scopes x years."
        ),
        epilog=__doc__.split("Exit codes:", 1)[1].join(["Exit codes:", ""]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", action="append", metavar="YEAR",
                   help="năm (lặp lại hoặc '2022,2023'); mặc định: năm mới nhất có dữ liệu")
    p.add_argument("--ward", action="append", metavar="WARD",
                   help="phường: mã, tên, 'district' (toàn địa bàn) hoặc 'all'; lặp lại được; "
                        "mặc định: toàn địa bàn + mọi phường")
    p.add_argument("--notebook", action="append", metavar="NAME",
                   help="notebook (vd. 01_attendance); lặp lại được; mặc định: tất cả")
    p.add_argument("--notebooks-dir", type=Path, default=None,
                   help="thư mục notebook (mặc định: notebooks/)")
    p.add_argument("--output", type=Path, default=None,
                   help=f"thư mục kết quả (mặc định: {DEFAULT_OUTPUT})")
    p.add_argument("--workers", type=int, default=None,
                   help="số tiến trình song song (mặc định: số lõi CPU)")
    p.add_argument("--timeout", type=float, default=None,
                   help=f"giới hạn giây cho mỗi notebook (mặc định: {DEFAULT_TIMEOUT_S:g})")
    p.add_argument("--plan", type=Path, default=None,
                   help="tệp kế hoạch YAML (years, wards, notebooks, parameters, ...)")
    p.add_argument("--keep", type=int, default=None,
                   help=f"giữ N lượt chạy mới nhất mỗi năm (mặc định: {DEFAULT_KEEP}; 0 = giữ hết)")
    p.add_argument("--data-dir", type=Path, default=None, help="thư mục dữ liệu (mặc định: data/)")
    p.add_argument("--lang", choices=["vi", "en"], default=None,
                   help="ngôn ngữ báo cáo (truyền vào notebook qua tham số 'lang')")
    p.add_argument("--no-verbatim", action="store_true",
                   help="không hiển thị nguyên văn ý kiến, chỉ tổng hợp theo lĩnh vực "
                        "(tham số 'verbatim=False' cho các notebook có nó)")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="tham số thêm cho notebook (phải có trong ô 'parameters')")
    p.add_argument("--pdf", action="store_true",
                   help="ghi thêm bản PDF (khổ A4) cạnh mỗi báo cáo HTML, bằng Chromium chạy ẩn "
                        "/ also write an A4 PDF beside each HTML (headless Chromium)")
    p.add_argument("--docx", action="store_true",
                   help="ghi báo cáo Word theo thể thức Nghị định 30/2020/NĐ-CP cho từng phạm vi "
                        "/ also write the official Word report for each scope")
    p.add_argument("--self-contained", action="store_true",
                   help="mỗi tệp HTML tự chứa plotly.js (để gửi riêng một tệp) thay vì dùng "
                        "chung _assets/ / each HTML carries plotly.js (to forward one file)")
    p.add_argument("--exclusive", action="store_true",
                   help="không cho hai lượt chạy cùng năm chạy đồng thời (cho cron); "
                        "nếu đang có lượt khác: thoát mã 3")
    p.add_argument("--lock-timeout", type=float, default=120.0,
                   help="chờ tối đa bao nhiêu giây để cập nhật 'latest' (mặc định 120)")
    p.add_argument("--force", action="store_true",
                   help="chạy lại mọi báo cáo, kể cả báo cáo có đầu vào không đổi so với lượt "
                        "trước / execute every report, even those an earlier run can stand for")
    dask = p.add_mutually_exclusive_group()
    dask.add_argument("--scheduler", metavar="ADDRESS", default=None,
                      help="chạy trên cụm Dask có sẵn (vd. tcp://10.0.0.5:8786) / run on an "
                           "existing Dask cluster (workers: same package, notebooks and data "
                           "paths)")
    dask.add_argument("--dask", type=int, metavar="N", default=None,
                      help="chạy trên một cụm Dask cục bộ gồm N tiến trình / run on a local "
                           "Dask cluster of N worker processes")
    p.add_argument("--kernel", default=KERNEL_NAME, help=f"kernelspec (mặc định {KERNEL_NAME})")
    p.set_defaults(func=run_cli)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """Command-line options over the plan file over the defaults."""
    plan = read_plan_file(args.plan) if args.plan else {}
    params = dict(plan.get("parameters") or {})
    for text in args.parameter or []:
        name, value = parse_parameter(text)
        params[name] = value
    lang = args.lang or plan.get("lang")
    if lang:
        params["lang"] = lang
    for reserved in ("year", "ward"):
        if reserved in params:
            raise PlanError(f"'{reserved}' do kế hoạch quyết định, dùng --{reserved} "
                            f"/ set {reserved} with --{reserved}, not as a parameter")
    data_dir = args.data_dir or (Path(plan["data_dir"]) if plan.get("data_dir") else None)
    return {
        "years": args.year or plan.get("years"),
        "wards": args.ward or plan.get("wards"),
        "notebooks": args.notebook or plan.get("notebooks"),
        "parameters": params,
        "lang": params.get("lang", "vi"),
        "output": args.output or Path(plan.get("output") or DEFAULT_OUTPUT),
        "workers": args.workers or plan.get("workers") or os.cpu_count() or 1,
        "timeout": args.timeout if args.timeout is not None
        else float(plan.get("timeout", DEFAULT_TIMEOUT_S)),
        "keep": args.keep if args.keep is not None else int(plan.get("keep", DEFAULT_KEEP)),
        "data_dir": data_dir,
        "exclusive": bool(args.exclusive or plan.get("exclusive", False)),
        "pdf": bool(getattr(args, "pdf", False) or plan.get("pdf", False)),
        "docx": bool(getattr(args, "docx", False) or plan.get("docx", False)),
        "self_contained": bool(getattr(args, "self_contained", False)
                               or plan.get("self_contained", False)),
        "force": bool(getattr(args, "force", False) or plan.get("force", False)),
        "scheduler": getattr(args, "scheduler", None) or plan.get("scheduler"),
        "dask": args.dask if getattr(args, "dask", None) is not None else plan.get("dask"),
    }


def run_cli(args: argparse.Namespace) -> int:
    """Run `hbt report` from parsed arguments; return the exit code (see module docstring)."""
    try:
        s = _settings(args)
        data_dir = s["data_dir"]
        if data_dir is not None and not Path(data_dir).is_dir():
            raise PlanError(f"Không có thư mục dữ liệu {data_dir} / no data folder {data_dir}")
        years = parse_years(s["years"]) if s["years"] else [latest_year(data_dir)]
        infos = {year: describe_year(year, data_dir) for year in years}
        notebooks = resolve_notebooks(s["notebooks"], args.notebooks_dir or default_notebooks_dir())
        reports = build_plan(infos, notebooks, s["wards"], s["parameters"],
                             explicit_notebooks=bool(s["notebooks"]))
        if not reports:
            raise PlanError("Kế hoạch trống / the plan is empty")
        if data_dir is not None:  # also as a parameter, to the notebooks that declare it
            for report in reports:
                if "data_dir" in notebook_parameters(report.notebook):
                    report.parameters["data_dir"] = str(Path(data_dir).resolve())
        if getattr(args, "no_verbatim", False):  # topic summaries only, where opinions show
            for report in reports:
                if "verbatim" in notebook_parameters(report.notebook):
                    report.parameters["verbatim"] = False
        check_parameters(reports)
        if s["workers"] < 1 or (s["timeout"] is not None and s["timeout"] <= 0):
            raise PlanError("--workers và --timeout phải dương / must be positive")
        if s["dask"] is not None and int(s["dask"]) < 1:
            raise PlanError("--dask phải dương / --dask must be positive")
        if s["scheduler"] and s["dask"]:
            raise PlanError("--scheduler hoặc --dask, không cả hai / not both")
        _check_kernel(args.kernel)
        if s["pdf"]:
            from .pdf import require_chromium

            require_chromium()
    except PlanError as exc:
        print(f"hbt report: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # data that does not load: the loader's message, no traceback
        print(f"hbt report: không đọc được dữ liệu / cannot load the data:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    where = (f"Dask {s['scheduler']}" if s["scheduler"] else
             f"Dask cục bộ / local Dask ×{s['dask']}" if s["dask"] else
             f"{s['workers']} tiến trình / workers")
    print(f"hbt report: {len(reports)} báo cáo / reports, {where}", file=sys.stderr)
    try:  # `systemctl stop` (SIGTERM): clean up like Ctrl-C
        previous = signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread
        previous = None
    try:
        outcome = run_batch(
            reports, infos, s["output"], workers=s["workers"], timeout_s=s["timeout"],
            keep=s["keep"], lang=s["lang"], common_parameters=s["parameters"],
            data_dir=data_dir, kernel_name=args.kernel, exclusive=s["exclusive"],
            lock_timeout_s=args.lock_timeout, self_contained=s["self_contained"],
            pdf=s["pdf"], docx=s["docx"], verbatim=not getattr(args, "no_verbatim", False),
            force=s["force"], scheduler=s["scheduler"], dask_workers=s["dask"],
        )
    except LockHeld as exc:
        print(f"hbt report: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except RuntimeError as exc:  # kernels that never start: say so, no traceback
        print(f"hbt report: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("hbt report: đã dừng / interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)

    if outcome.reused:
        print(f"hbt report: {outcome.reused}/{len(reports)} báo cáo dùng lại từ lượt trước "
              f"(đầu vào không đổi; --force để chạy lại) / reused from an earlier run "
              f"(inputs unchanged; --force rebuilds)", file=sys.stderr)
    for message in outcome.messages:
        print(f"hbt report: {message}", file=sys.stderr)
    n_failed = sum(r["status"] != "ok" for r in outcome.results)
    for year, run_dir in sorted(outcome.run_dirs.items()):
        state = "latest → lượt này" if outcome.latest_moved.get(year) else "latest không đổi"
        print(f"{year}: {run_dir / 'index.html'}  ({state})")
    if n_failed:
        print(f"hbt report: {n_failed}/{len(outcome.results)} báo cáo lỗi / reports failed",
              file=sys.stderr)
    return outcome.exit_code


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m hbt_analysis.report`), same as `hbt report`."""
    parser = argparse.ArgumentParser(prog="hbt")
    sub = parser.add_subparsers(dest="command", required=True)
    register_cli(sub)
    args = parser.parse_args(["report", *(sys.argv[1:] if argv is None else argv)])
    return run_cli(args)
