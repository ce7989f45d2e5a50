"""`hbt import-minutes FOLDER`: a folder of Word minutes to a year's data, with a review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hbt_analysis.fmt import fmt_int

EXIT_OK, EXIT_REVIEW, EXIT_USAGE = 0, 1, 2

HELP = "đọc biên bản Word thành dữ liệu một năm / read Word minutes into a year's data"
DESCRIPTION = """\
Đọc mọi biên bản hội nghị (.docx, .doc) và bản tổng hợp ý kiến của phường trong THƯ_MỤC
(cả thư mục con), ghi bảng group_conferences, ward_conferences, opinions của năm vào
--out/<năm>/, cùng sổ kiểm tra kiem_tra_bien_ban.xlsx (mỗi tài liệu một dòng: đọc được gì,
không đọc được gì) và review_flags.csv (những điểm phải kiểm tra; `hbt validate` báo
chúng cho đến khi được đánh dấu đã kiểm tra). Không ghi đè dữ liệu có sẵn nếu thiếu --force.

Reads every conference minutes (.docx, .doc) and ward summary of opinions in FOLDER (and its
sub-folders), writes the year's group_conferences, ward_conferences and opinions tables to
--out/<year>/, with the review workbook kiem_tra_bien_ban.xlsx (one row per document: what
was read and what could not be) and review_flags.csv (what must be checked; `hbt validate`
reports it until ticked). Existing data is never replaced without --force.

Mã thoát / exit codes: 0 đã ghi, không có lỗi / written, nothing to fix · 1 đã ghi, có tài
liệu cần kiểm tra / written, some documents need checking · 2 không ghi / nothing written.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-minutes", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path, help="thư mục biên bản / the folder of minutes")
    p.add_argument("--year", type=int, help="năm hội nghị (mặc định: theo ngày họp) / the "
                   "conferences' year (default: from the meeting dates)")
    p.add_argument("--out", type=Path, help="thư mục dữ liệu để ghi vào <out>/<năm>/ "
                   "(mặc định data/) / data folder to write <out>/<year>/ (default data/)")
    p.add_argument("--force", action="store_true", help="thay dữ liệu có sẵn của năm đó (tệp "
                   "cũ được sao lưu) / replace that year's data (old files kept in a backup)")
    p.add_argument("--data-dir", type=Path, help="thư mục có reference/ và các năm đã có (danh "
                   "sách tổ) / folder with reference/ and earlier years (the groups' registry)")


def run(args: argparse.Namespace) -> int:
    from hbt_analysis.dataset import default_data_dir
    from hbt_analysis.minutes.importer import (
        ImportRefused,
        collect_documents,
        existing_output,
        import_folder,
        write,
    )

    folder: Path = args.folder
    if not folder.is_dir():
        print(f"Không tìm thấy thư mục {folder} / no such folder: {folder}", file=sys.stderr)
        return EXIT_USAGE
    paths = collect_documents(folder)
    if not paths:
        print(f"{folder}: không có tệp .docx/.doc nào / no .docx or .doc files",
              file=sys.stderr)
        return EXIT_USAGE
    data_dir = args.data_dir or default_data_dir()
    out_root = args.out or data_dir
    if args.year is not None:  # refuse before reading hundreds of files
        old = existing_output(out_root / str(args.year))
        if old and not args.force:
            print(ImportRefused(
                f"thư mục {out_root / str(args.year)} đã có dữ liệu; chọn thư mục khác bằng "
                "--out hoặc thêm --force (tệp cũ được sao lưu)",
                f"{out_root / str(args.year)} already holds data; choose another folder with "
                "--out or add --force (the old files are kept in a backup)"), file=sys.stderr)
            return EXIT_USAGE
    print(f"Đọc {fmt_int(len(paths))} tài liệu trong {folder} / reading {len(paths)} "
          "documents ...", file=sys.stderr)
    progress, close = _progress(len(paths))
    try:
        result = import_folder(folder, args.year, data_dir=data_dir, progress=progress)
    except ImportRefused as err:
        close()
        print(str(err), file=sys.stderr)
        return EXIT_USAGE
    close()
    try:
        written = write(result, out_root, force=args.force, reference_from=data_dir)
    except ImportRefused as err:
        print(str(err), file=sys.stderr)
        return EXIT_USAGE
    return _summary(result, written, out_root, data_dir)


def _progress(total: int):
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="tệp", file=sys.stderr, leave=False)

    def step(path: Path) -> None:
        bar.set_postfix_str(path.name[:40])
        bar.update(1)

    return step, bar.close


def _summary(result, written: list[Path], out_root: Path, data_dir: Path) -> int:
    readings = result.readings
    kinds = {k: sum(r.kind == k for r in readings) for k in
             ("minutes", "ward_minutes", "ward_summary", "unreadable")}
    errors = {id(r) for r, f, _ in result.flags if r is not None and f.severity == "error"}
    n_flags = len(result.flags)
    g = result.group_conferences
    print(f"\nNăm {result.year}: {fmt_int(len(readings))} tài liệu / documents — "
          f"{fmt_int(kinds['minutes'])} biên bản tổ dân phố, {fmt_int(kinds['ward_minutes'])} "
          f"biên bản phường, {fmt_int(kinds['ward_summary'])} bản tổng hợp, "
          f"{fmt_int(kinds['unreadable'])} không đọc được.")
    incomplete = int((g["households_invited"].isna() | g["households_attended"].isna()).sum())
    print(f"  Tổ dân phố / groups: {fmt_int(len(g))}, được mời / invited "
          f"{fmt_int(g['households_invited'].sum())}, có mặt / attended "
          f"{fmt_int(g['households_attended'].sum())}"
          + (f" (chưa tính {fmt_int(incomplete)} tổ thiếu số liệu / {incomplete} groups "
             "without figures not counted)" if incomplete else "")
          + f"; ý kiến / opinions {fmt_int(len(result.opinions))}.")
    keyed = int(result.opinions["staff_item"].notna().sum())
    if keyed:  # a ward summary's numbered requests (importer.summary_keys)
        print(f"  Số thứ tự của {fmt_int(keyed)} kiến nghị trong bản tổng hợp của phường ghi "
              "vào cột staff_item; muốn gắn ý kiến của tổ với kiến nghị, ghi cùng số đó cho ý "
              f"kiến của tổ / the numbers of {keyed} requests in the ward summaries are kept "
              "in staff_item; to link a group's opinion to one, give it the same number.")
    folder = out_root / str(result.year)
    print(f"  Đã ghi / written: {folder}/ ({', '.join(p.name for p in written)})")
    review = folder / "kiem_tra_bien_ban.xlsx"
    if errors:
        print(f"\nCẦN KIỂM TRA: {fmt_int(len(errors))} tài liệu có lỗi ({fmt_int(n_flags)} vấn "
              f"đề); xem {review} và review_flags.csv.\nTO CHECK: {len(errors)} documents have "
              f"errors ({n_flags} problems); see {review} and review_flags.csv.")
    elif n_flags:
        print(f"\n{fmt_int(n_flags)} điểm nên xem lại / points worth a look: {review}")
    data_arg = "" if out_root.resolve() == data_dir.resolve() else f" --data-dir {out_root}"
    print(f"\nTiếp theo / next:\n  hbt validate{data_arg} --year {result.year}\n"
          f"  hbt report{data_arg} --year {result.year}")
    return EXIT_REVIEW if errors else EXIT_OK
