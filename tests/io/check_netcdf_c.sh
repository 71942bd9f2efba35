#!/usr/bin/env bash
# The results file read by the netCDF-C library, not only by h5netcdf/xarray: README promises
# plain netCDF-4. For a scenario with programmes, funds, evaluators and targets (every optional
# dimension), checks that
#   1. ncdump -k calls the file netCDF-4;
#   2. ncdump -h reads it without a complaint and shows the dimensions, the variables with their
#      dimensions and types, the CF attributes (time units and calendar, Conventions, the
#      coordinates naming the Chinese labels), and that this header agrees, name by name and
#      attribute by attribute, with what xarray and h5py read;
#   3. ncdump -v prints the same numbers and labels as xarray reads (int64 counts, float64 with
#      NaN, UTF-8 strings, the raw time axis);
#   4. nccopy (netCDF-C writing its own netCDF-4 file) loses nothing: the copy dumps to the same
#      CDL, and xarray reads the copy identically to the original.
# Needs SKILLSIM (the binary), SOURCE_DIR, PYTHON (with xarray, h5netcdf, h5py), and NCDUMP and
# NCCOPY (default: from PATH; Debian package netcdf-bin, installed by scripts/install-deps.sh).
set -u
NCDUMP=${NCDUMP:-ncdump}
NCCOPY=${NCCOPY:-nccopy}
for tool in "$NCDUMP" "$NCCOPY"; do
  command -v "$tool" > /dev/null || { echo "FAILED: $tool not found: install netcdf-bin (scripts/install-deps.sh)"; exit 1; }
done
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"
empty() { [ ! -s "$1" ] || { echo "--- $1 is not empty:"; cat "$1"; return 1; }; }

# At 50 persons an agent, to be quick. Nothing else can be checked without the file.
"$SKILLSIM" run jincheng_plan_2020_2021 --replicates 2 --set population.scale=50 --quiet -o plan.h5 || { echo "FAILED: skillsim run"; exit 1; }

# 1. The format, as netCDF-C sees it.
"$NCDUMP" -k plan.h5 > kind.out 2> kind.err
check "ncdump -k exits 0" test $? -eq 0
check "ncdump -k says netCDF-4" test "$(cat kind.out)" = "netCDF-4"

# 2. The header.
"$NCDUMP" -h plan.h5 > header.cdl 2> header.err
check "ncdump -h exits 0" test $? -eq 0
check "ncdump -h prints no warning" empty header.err
tab=$'\t'
for dim in "replicate = 2" "time = 25" "level = 9" "status = 6" "group = 8" "sector = 3" "region = 1" \
  "programme = 4" "fund = 2" "evaluator = 3" "target = 8"; do
  check "dimension $dim" contains header.cdl "$tab$dim ;"
done
for var in "int64 time(time)" "string level(level)" "string level_zh(level)" "string target(target)" \
  "int64 skilled_workers(replicate, time)" "int64 workers(replicate, time, level, status)" \
  "int64 workers_by_region(replicate, time, region, level)" "int64 spending(replicate, time, fund, programme)" \
  "int64 evaluations(replicate, time, evaluator, region)" "double target_value(replicate, time, target)" \
  "double cost_per_certificate(replicate, programme)"; do
  check "variable $var" contains header.cdl "$tab$var ;"
done
for attribute in 'string time:units = "days since 1970-01-01"' 'string time:calendar = "proleptic_gregorian"' \
  'string workers:coordinates = "level_zh status_zh"' 'string skilled_workers:units = "persons"' \
  'string :Conventions = "CF-1.8"' 'string :title = "skillsim results"' ':schema_version = 1' \
  ':replicate_seeds = 0LL, 1LL'; do
  check "attribute $attribute" contains header.cdl "$tab$tab$attribute ;"
done

# 4. netCDF-C writes the file back out as it understood it (xarray reads the copy below).
"$NCCOPY" plan.h5 copy.nc 2> nccopy.err
check "nccopy exits 0" test $? -eq 0
check "nccopy prints no warning" empty nccopy.err
"$NCDUMP" plan.h5 | tail -n +2 > original.cdl
"$NCDUMP" copy.nc | tail -n +2 > copy.cdl
check "the netCDF-C copy dumps to the same CDL" cmp -s original.cdl copy.cdl

# 2b, 3 and 4b, in one Python process (importing xarray takes seconds): the header against
# xarray and h5py, every name; the data of some variables against xarray; the copy in xarray.
check "ncdump agrees with xarray and h5py; xarray reads the copy identically" \
  "$PYTHON" - plan.h5 header.cdl "$NCDUMP" copy.nc <<'PY'
import re, subprocess, sys
import h5py, numpy as np, xarray as xr

path, header_path, ncdump, copy_path = sys.argv[1:5]
header = open(header_path, encoding="utf-8").read()
RESERVED = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "_Netcdf4Dimid", "_Netcdf4Coordinates"}
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "\\": "\\", '"': '"', "'": "'"}
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s,;]+')
problems = []

def unescape(quoted):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), quoted[1:-1])

def value_of(token):
    """A CDL constant: a quoted string, an integer with its type suffix (1, 20200101LL), or a real."""
    if token.startswith('"'):
        return unescape(token)
    if re.fullmatch(r"-?\d+[A-Za-z]*", token):
        return int(re.sub(r"[A-Za-z]+$", "", token))
    return float(token)  # 0.93934142114384744, NaN, Infinity

# Sections of the header: dimensions, variables (with their attributes), global attributes.
body = header.split("dimensions:\n", 1)[1]
dims_text, rest = body.split("variables:\n", 1)
vars_text, globals_text = rest.split("// global attributes:\n", 1)
cdl_dims = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\t(\w+) = (\d+) ;$", dims_text, re.M)}
cdl_vars, cdl_attrs = {}, {}
# A name may hold characters CDL escapes with a backslash: the parameter sets' record is named by
# its keys, e.g. skills.assessment_rate\[senior\].
NAME = r"((?:[\w.-]|\\.)*)"
def name_of(text):
    return re.sub(r"\\(.)", r"\1", text)
for line in (vars_text + globals_text).splitlines():
    if m := re.fullmatch(r"\t(\w+) " + NAME + r"(?:\((.*)\))? ;", line):
        cdl_vars[name_of(m.group(2))] = (m.group(1), tuple(d.strip() for d in m.group(3).split(",")) if m.group(3) else ())
    elif m := re.fullmatch(r"\t\t(?:(\w+) )?" + NAME + r":(\w+) = (.*) ;", line):
        values = [value_of(t) for t in TOKEN.findall(m.group(4))]
        cdl_attrs[(name_of(m.group(2)), m.group(3))] = values[0] if len(values) == 1 else values
    elif line.strip() and line.strip() != "}":
        problems.append(f"header line not understood: {line!r}")

TYPES = {"int64": "int64", "double": "float64", "string": "str"}
with h5py.File(path, "r") as h5, xr.open_dataset(path, engine="h5netcdf", decode_times=False) as ds:
    if cdl_dims != dict(ds.sizes):
        problems.append(f"dimensions: ncdump {cdl_dims}, xarray {dict(ds.sizes)}")
    if set(cdl_vars) != set(ds.variables):
        problems.append(f"variables only in ncdump: {set(cdl_vars) - set(ds.variables)}, "
                        f"only in xarray: {set(ds.variables) - set(cdl_vars)}")
    for name, (cdl_type, cdl_dims_of) in cdl_vars.items():
        if name not in ds.variables:
            continue
        var = ds.variables[name]
        kind = "str" if var.dtype.kind in "OU" else str(var.dtype)
        if TYPES.get(cdl_type) != kind or cdl_dims_of != var.dims:
            problems.append(f"{name}: ncdump {cdl_type}{cdl_dims_of}, xarray {kind}{var.dims}")
        for key, value in h5[name].attrs.items():
            if key in RESERVED:
                continue
            value = value.decode() if isinstance(value, bytes) else value
            if cdl_attrs.get((name, key)) != value:
                problems.append(f"{name}:{key}: ncdump {cdl_attrs.get((name, key))!r}, h5py {value!r}")
    for key, value in h5.attrs.items():
        value = value.decode() if isinstance(value, bytes) else value
        value = value.tolist() if isinstance(value, np.ndarray) else value
        value = value.item() if isinstance(value, np.generic) else value
        if cdl_attrs.get(("", key)) != value:
            problems.append(f"global {key}: ncdump {str(cdl_attrs.get(('', key)))[:80]!r}, h5py {str(value)[:80]!r}")
    if cdl_attrs.get(("time", "units")) != "days since 1970-01-01" or cdl_attrs.get(("time", "calendar")) != "proleptic_gregorian":
        problems.append("time lacks its CF units and calendar")

    # Data: ncdump -v with full precision for doubles (-p 9,17 prints 17 significant digits).
    names = ["time", "level_zh", "programme", "target", "skilled_workers", "workers", "spending", "evaluations",
             "target_value", "cost_per_certificate"]
    dump = subprocess.run([ncdump, "-p", "9,17", "-v", ",".join(names), path], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    data = dump.split("\ndata:\n", 1)[1]
    blocks = {m.group(1): m.group(2) for m in re.finditer(r"^ (\w+) =\s*(.*?) ;$", data, re.M | re.S)}
    for name in names:
        if name not in blocks:
            problems.append(f"ncdump -v printed no data for {name}")
            continue
        tokens = TOKEN.findall(blocks[name])
        if "_" in tokens:
            problems.append(f"{name}: ncdump shows fill values (_)")
            continue
        values = [value_of(t) for t in tokens]
        expected = ds[name].values.ravel().tolist()
        same = len(values) == len(expected) and all(
            (isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b)) or a == b
            for a, b in zip(values, expected))
        if not same:
            problems.append(f"{name}: ncdump {values[:6]}..., xarray {expected[:6]}...")
        print(f"  {name}: {len(values)} values agree" if same else f"  {name}: DIFFER")
    if not any(isinstance(v, float) and np.isnan(v) for v in ds["target_value"].values.ravel().tolist()):
        problems.append("target_value has no NaN: the NaN comparison was not exercised")

    # The copy netCDF-C wrote: the same dataset for xarray, names, values and attributes alike.
    with xr.open_dataset(copy_path, engine="h5netcdf", decode_times=False) as copy:
        if not ds.identical(copy):
            problems.append("xarray reads the nccopy copy differently from the original")

for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY


finish
