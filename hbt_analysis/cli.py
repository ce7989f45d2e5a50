"""The `hbt` command: validate data, write the Excel template, regenerate the synthetic
data, and run the report batch. Errors are explained, never shown as a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from hbt_analysis import __version__
from hbt_analysis.fmt import fmt_int, fmt_pct

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 70

DESCRIPTION = """\
Phân tích Hội nghị đại biểu Nhân dân của các phường, xã một địa bàn (danh mục: --units).
Analysis of the people's representative conferences of an area's wards (registry: --units).

Thường dùng / common tasks:
  hbt validate                 kiểm tra mọi năm trong data/ / check every year in data/
  hbt validate --year 2023     một năm / one year
  hbt validate path/to/2023    một thư mục hoặc tệp / a folder or a file
  hbt validate DIR --explain   xem tệp được đọc thế nào / how each file was read
  hbt template mau_nhap.xlsx   mẫu Excel để nhập số liệu / the Excel entry template
  hbt report                   chạy bộ báo cáo HTML / run the HTML report batch
  hbt synth                    tạo lại dữ liệu tổng hợp / regenerate the synthetic data
  hbt import-minutes THƯ_MỤC   đọc biên bản Word / read a folder of Word minutes
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hbt", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"hbt-analysis {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="hiện traceback khi có lỗi bất ngờ / show tracebacks")
    parser.add_argument("--units", type=Path, metavar="FILE",
                        help="danh mục đơn vị (units.csv) của địa bàn / the unit registry of "
                        "the area (default: $HBT_UNITS, DATA/reference/units.csv, the bundled one)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser(
        "validate", help="kiểm tra dữ liệu và in tóm tắt / validate data and print a summary",
        description="Kiểm tra một năm, một thư mục hoặc một tệp; in tóm tắt và mọi vấn đề. "
        "Thoát 0 nếu hợp lệ, 1 nếu có lỗi. / Validate a year, a folder or a file; print the "
        "summary and every problem. Exit 0 when valid, 1 otherwise.",
    )
    v.add_argument("path", nargs="?", type=Path,
                   help="thư mục năm (vd. data/2023) hoặc tệp CSV/Excel/Parquet")
    v.add_argument("--year", type=int, action="append",
                   help="năm trong thư mục dữ liệu (lặp lại được) / year (repeatable)")
    v.add_argument("--data-dir", type=Path, help="thư mục dữ liệu / data folder (default data/)")
    v.add_argument("--all-warnings", action="store_true", help="in mọi cảnh báo / every warning")
    v.add_argument("--explain", action="store_true",
                   help="in cách đọc từng tệp, sheet, cột và dòng / show how each file, sheet, "
                   "column and row was read")
    v.add_argument("--lang", choices=("vi", "en"), default="vi")

    t = sub.add_parser("template", help="ghi mẫu nhập Excel / write the Excel entry template")
    t.add_argument("out", type=Path, help="tệp .xlsx cần ghi / the .xlsx file to write")
    t.add_argument("--year", type=int, help="năm ghi trên tiêu đề / year for the title")

    s = sub.add_parser("synth", help="tạo lại dữ liệu tổng hợp / regenerate synthetic data")
    s.add_argument("--data-dir", type=Path, help="thư mục đích / target folder (default data/)")
    s.add_argument("--seed", type=int, help="hạt giống ngẫu nhiên / random seed")
    s.add_argument("--minutes", type=Path, metavar="DIR",
                   help="viết năm thành biên bản Word vào DIR (không ghi data/) / write the "
                   "year as Word minutes into DIR (data/ untouched)")
    s.add_argument("--year", type=int, default=2023,
                   help="năm viết thành biên bản (với --minutes) / year for --minutes")

    from hbt_analysis.minutes import cli as minutes_cli

    minutes_cli.register(sub)

    try:  # (hbt_analysis.report imports its modules on first use: ask for the name)
        from hbt_analysis.report import register_cli
    except ImportError:  # the batch is optional for validating data
        register_cli = None
    if register_cli is not None:
        register_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.units is not None:  # one registry for this run, its kernels included
        import os

        from hbt_analysis.registry import UNITS_ENV

        os.environ[UNITS_ENV] = str(args.units.resolve())
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("Đã dừng. / Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # the user gets an explanation, not a traceback
        from hbt_analysis.io import ReadError
        from hbt_analysis.validate import DataError

        if args.debug:
            raise
        from hbt_analysis.registry import RegistryError

        if isinstance(exc, DataError | ReadError | RegistryError):
            print(str(exc), file=sys.stderr)
            return EXIT_INVALID
        if isinstance(exc, OSError):
            print(f"Lỗi tệp / file error: {exc}", file=sys.stderr)
            return EXIT_INVALID
        print(f"Lỗi bất ngờ / unexpected error: {type(exc).__name__}: {exc}\n"
              "Chạy lại với --debug để xem chi tiết / run again with --debug for details.",
              file=sys.stderr)
        return EXIT_UNEXPECTED


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return _validate(args)
    if args.command == "template":
        from hbt_analysis.template import write_workbook

        path = write_workbook(None, args.out, year=args.year)
        print(f"Đã ghi mẫu nhập / template written: {path}")
        return EXIT_OK
    if args.command == "import-minutes":
        from hbt_analysis.minutes import cli as minutes_cli

        return minutes_cli.run(args)
    if args.command == "synth" and args.minutes is not None:
        from hbt_analysis.minutes.synth import write_minutes
        from hbt_analysis.synth import YEARS

        if args.year not in YEARS:
            print(f"Bộ tạo dữ liệu có các năm {', '.join(map(str, YEARS))} / the generator "
                  f"makes the years {', '.join(map(str, YEARS))}", file=sys.stderr)
            return EXIT_USAGE
        if args.minutes.exists() and any(args.minutes.iterdir()):
            print(f"{args.minutes} đã có tệp; chọn một thư mục trống / {args.minutes} is not "
                  "empty; choose an empty folder", file=sys.stderr)
            return EXIT_USAGE
        kwargs = {"seed": args.seed} if args.seed is not None else {}
        written = write_minutes(args.minutes, args.year, **kwargs)
        print(f"Đã viết {len(written)} biên bản năm {args.year} vào {args.minutes} / wrote "
              f"{len(written)} documents.")
        return EXIT_OK
    if args.command == "synth":
        from hbt_analysis import synth
        from hbt_analysis.dataset import default_data_dir

        kwargs = {"seed": args.seed} if args.seed is not None else {}
        from hbt_analysis import synth_merger

        written = synth.write(args.data_dir or default_data_dir(), **kwargs)
        written += synth_merger.write(args.data_dir or default_data_dir(), **kwargs)
        for path in written:
            print(f"  {path}")
        print(f"Đã ghi {len(written)} tệp dữ liệu tổng hợp / wrote {len(written)} files.")
        return EXIT_OK
    if args.command == "report":
        from hbt_analysis import report

        return report.run_cli(args)
    raise AssertionError(args.command)


# --- validate ---------------------------------------------------------------------------

def _validate(args: argparse.Namespace) -> int:
    from hbt_analysis.dataset import available_years, default_data_dir, load
    from hbt_analysis.validate import check_years, errors_in

    data_dir = args.data_dir or default_data_dir()
    datasets = []
    if args.path is not None:
        datasets.append(_load_path(args.path, args.year[0] if args.year else None, data_dir))
    else:
        years = args.year or available_years(data_dir)
        if not years:
            print(f"Không có dữ liệu trong {data_dir} / no data in {data_dir}", file=sys.stderr)
            return EXIT_INVALID
        for year in years:
            datasets.append(load(year, data_dir, strict=False))
    problems = [p for ds in datasets for p in ds.warnings]
    if len(datasets) > 1:
        ok = [ds for ds in datasets if not errors_in(ds.warnings)]
        problems += check_years({ds.year: ds.group_conferences for ds in ok},
                                ok[-1].registry if ok else None,
                                {ds.year: ds.group_crosswalk for ds in ok})
    for ds in datasets:
        print(summary_text(ds, args.lang))
        if args.explain and ds.intake is not None:
            from hbt_analysis.intake.explain import render

            heading = "Cách đọc các tệp" if args.lang == "vi" else "How the files were read"
            print(f"\n-- {heading} ({ds.year}) --")
            print(render(ds.intake, args.lang))
    _print_problems(problems, args.all_warnings)
    n_errors = len(errors_in(problems))
    if n_errors:
        print(f"\nKHÔNG HỢP LỆ: {n_errors} lỗi cần sửa. / INVALID: {n_errors} error(s) to fix.")
        return EXIT_INVALID
    print("\nHỢP LỆ / VALID")
    return EXIT_OK


def _load_path(path: Path, year: int | None, data_dir: Path):
    from hbt_analysis.dataset import load_files, year_files

    if not path.exists():
        from hbt_analysis.io import ReadError

        raise ReadError(path, "không tìm thấy tệp hoặc thư mục", "no such file or folder")
    path = _year_folder(path, year)
    files = year_files(path) if path.is_dir() else [path]
    folder = path if path.is_dir() else path.parent
    if year is None:
        if _is_year_name(folder.name):
            year = int(folder.name)
        else:
            from hbt_analysis.io import ReadError

            raise ReadError(path, "không biết năm của dữ liệu; thêm --year NĂM",
                            "cannot tell the data's year; add --year YEAR")
    return load_files(files, year, reference_dir=data_dir, strict=False)


def _is_year_name(name: str) -> bool:
    return name.isdigit() and len(name) == 4


def _year_folder(path: Path, year: int | None) -> Path:
    """The year's folder inside `path` when `path` holds year folders (CASE/2023/) rather
    than a year's files: the only one, or `year`'s; else `path` itself.

    Raises ReadError naming the years found when there are several and no `--year`, or
    when `--year` names none of them."""
    from hbt_analysis.dataset import available_years
    from hbt_analysis.intake.sources import TABLE_SUFFIXES
    from hbt_analysis.io import ReadError

    if not path.is_dir() or _is_year_name(path.name):
        return path
    if any(p.is_file() and p.suffix.lower() in TABLE_SUFFIXES for p in path.iterdir()):
        return path  # the year's files themselves, in a folder not named by its year
    years = available_years(path)
    if not years:
        return path
    if year is None and len(years) == 1:
        return path / str(years[0])
    if year in years:
        return path / str(year)
    listed = ", ".join(map(str, years))
    if year is None:
        raise ReadError(path, f"thư mục này có dữ liệu của nhiều năm ({listed}); chọn một năm "
                              "bằng --year NĂM, hoặc chỉ thẳng vào thư mục năm",
                        f"this folder holds the data of several years ({listed}); choose one "
                        "with --year YEAR, or point at the year's folder")
    raise ReadError(path, f"không có thư mục năm {year} ở đây; các năm có dữ liệu: {listed}",
                    f"no folder of {year} here; the years with data: {listed}")


def summary_text(ds, lang: str = "vi") -> str:
    """The few lines that say what a year holds and whether it matches the published totals."""
    from hbt_analysis.validate import errors_in

    kind = ("dữ liệu TỔNG HỢP (giả lập)" if lang == "vi" else "SYNTHETIC data") if ds.synthetic \
        else ("dữ liệu thật" if lang == "vi" else "real data")
    year_word = "Năm" if lang == "vi" else "Year"
    lines = [f"\n== {year_word} {ds.year} — {kind} — hash {ds.content_hash}"]
    if errors_in(ds.warnings):
        lines.append("   (chưa tóm tắt được vì dữ liệu có lỗi / no summary: the data has errors)")
        return "\n".join(lines)
    ops = ds.opinions
    for level, conf, label_vi, label_en in (
        ("to_dan_pho", ds.group_conferences, "Tổ dân phố", "Residential groups"),
        ("phuong", ds.ward_conferences, "Phường", "Wards"),
    ):
        if conf.empty:
            lines.append(f"   {label_vi if lang == 'vi' else label_en}: "
                         + ("không có dữ liệu" if lang == "vi" else "no data"))
            continue
        inv, att = int(conf["households_invited"].sum()), int(conf["households_attended"].sum())
        n_ops = int((ops["level"] == level).sum() if len(ops) else conf["opinions_count"].sum())
        if lang == "vi":
            lines.append(
                f"   {label_vi:<11} {fmt_int(len(conf)):>5} hội nghị, "
                f"{fmt_int(inv):>7} hộ được mời, "
                f"{fmt_int(att):>7} hộ dự ({fmt_pct(att / inv) if inv else '—'}), "
                f"{fmt_int(n_ops)} ý kiến"
            )
        else:
            lines.append(
                f"   {label_en:<18} {fmt_int(len(conf), 'en'):>5} conferences, "
                f"{fmt_int(inv, 'en'):>7} invited, {fmt_int(att, 'en'):>7} attended "
                f"({fmt_pct(att / inv, lang='en') if inv else '—'}), "
                f"{fmt_int(n_ops, 'en')} opinions"
            )
    rec = ds.reconciliation()
    if len(rec):
        checked = rec[rec["agrees"].notna()]
        agree = int(checked["agrees"].astype(bool).sum())
        unpublished = int(rec["agrees"].isna().sum())
        lines.append(
            f"   Đối chiếu số đã công bố / published totals: {agree}/{len(checked)} khớp/agree"
            + (f", {unpublished} chưa công bố/not published" if unpublished else "")
        )
    return "\n".join(lines)


def _print_problems(problems, all_warnings: bool) -> None:
    from hbt_analysis.validate import sorted_problems

    problems = sorted_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if errors:
        print(f"\n{len(errors)} lỗi / error(s):")
        for p in errors:
            print(p)
    if warnings:
        shown = warnings if all_warnings else warnings[:10]
        print(f"\n{len(warnings)} cảnh báo / warning(s)"
              + ("" if all_warnings or len(warnings) <= 10 else
                 " (10 đầu tiên; --all-warnings để xem hết / first 10; --all-warnings for all)")
              + ":")
        for p in shown:
            print(p)


if __name__ == "__main__":
    sys.exit(main())
