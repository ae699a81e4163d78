# tests/plot.cmake: tests of `clact plot` (label cli). Included from tests/CMakeLists.txt after
# cli_tests.cmake (it uses clact_cli_test and CLACT_CLI_IDS); the same file is also the script
# of the tests that look inside the files written (run as `cmake -DCASE=... -P plot.cmake`):
# - the plotted points are the device's values: the --dump data at grid points where the value
#   is known (relu(2) = 2, sigmoid(0) = 0.5, tanh(1) = 0.761594..., the derivatives there), and
#   brelu's two branches;
# - the SVG is well-formed XML (python3, else xmllint, else that part is skipped and says so);
# - with python3: every vertex of every curve inside the frame maps back, through the axis
#   ticks (their pixel position and label), to the dumped (x, y) of its grid point within half
#   a pixel;
# - a step function is drawn as separate pieces (no vertical line across the jump);
# - --gallery writes one SVG per activation of the registry and index.html naming each;
# - no temporary file is left behind.

if(CMAKE_SCRIPT_MODE_FILE) # ---- the script: -DEXE -DCASE -DDIR [-DPYTHON] [-DXMLLINT] [-DIDS]
  set(failures "")
  macro(fail msg)
    string(APPEND failures "  ${msg}\n")
  endmacro()
  macro(run)
    execute_process(COMMAND "${EXE}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE err)
    string(REPLACE ";" " " shown "${ARGN}")
    message("$ clact ${shown}\nexit status ${rc}\n--- stdout\n${out}--- stderr\n${err}---")
    if(NOT rc EQUAL 0)
      if(err MATCHES "no OpenCL platform found")
        message("no OpenCL platform found: skipped") # SKIP_REGULAR_EXPRESSION
        return()
      endif()
      message(FATAL_ERROR "exit status ${rc}, expected 0")
    endif()
  endmacro()
  # Well-formed XML: python3's parser, else xmllint, else skipped (said so).
  function(check_xml)
    foreach(f IN LISTS ARGN)
      if(PYTHON)
        execute_process(COMMAND "${PYTHON}" -c
                                "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])"
                                "${f}" RESULT_VARIABLE r ERROR_VARIABLE e)
      elseif(XMLLINT)
        execute_process(COMMAND "${XMLLINT}" --noout "${f}" RESULT_VARIABLE r ERROR_VARIABLE e)
      else()
        message("neither python3 nor xmllint: XML well-formedness not checked")
        return()
      endif()
      if(NOT r EQUAL 0)
        set(failures "${failures}  ${f} is not well-formed XML: ${e}\n" PARENT_SCOPE)
      endif()
    endforeach()
  endfunction()
  # A line of the dump: LABEL<TAB>X<TAB>Y where Y matches a regex.
  function(expect_point dump label x yre) # a function: its regex arguments are not re-parsed
    string(REGEX MATCH "\n${label}\t${x}\t(${yre})\n" m "\n${dump}")
    if(NOT m)
      set(failures "${failures}  no point ${label}(${x}) = ${yre} in the dump\n" PARENT_SCOPE)
    endif()
  endfunction()
  function(no_leftovers dir)
    file(GLOB_RECURSE left "${dir}/*.tmp.*")
    if(left)
      set(failures "${failures}  temporary files left behind: ${left}\n" PARENT_SCOPE)
    endif()
  endfunction()

  file(REMOVE_RECURSE "${DIR}")
  file(MAKE_DIRECTORY "${DIR}")
  if(CASE STREQUAL "values")
    run(plot relu sigmoid tanh --derivative --range -4:4 -o "${DIR}/p.svg" --dump "${DIR}/p.tsv")
    file(READ "${DIR}/p.tsv" dump)
    # grid x_i = -4 + 8 i / 2000: 0, 1 and 2 are grid points, exactly
    expect_point("${dump}" "relu" "2" "2")
    expect_point("${dump}" "relu'" "2" "1")
    expect_point("${dump}" "relu" "-1" "0")
    expect_point("${dump}" "sigmoid" "0" "0\\.5")
    expect_point("${dump}" "sigmoid'" "0" "0\\.25")
    expect_point("${dump}" "tanh" "1" "0\\.76159[0-9]*")
    expect_point("${dump}" "tanh'" "0" "1")
    file(READ "${DIR}/p.svg" svg)
    foreach(want "<title>relu, sigmoid, tanh and their derivatives</title>" ">sigmoid'</text>"
                 "stroke-dasharray")
      string(FIND "${svg}" "${want}" at)
      if(at LESS 0)
        fail("the SVG has no '${want}'")
      endif()
    endforeach()
    # brelu: even and odd element indices, two branches in the legend
    run(plot brelu --range -4:4 -o "${DIR}/b.svg" --dump "${DIR}/b.tsv")
    file(READ "${DIR}/b.tsv" dump)
    expect_point("${dump}" "brelu \\(even i\\)" "-2" "0")
    expect_point("${dump}" "brelu \\(odd i\\)" "-2" "-2")
    expect_point("${dump}" "brelu \\(even i\\)" "2" "2")
    expect_point("${dump}" "brelu \\(odd i\\)" "2" "-?0") # -relu(-2) = -0
    file(READ "${DIR}/b.svg" svg)
    if(NOT svg MATCHES ">brelu \\(even i\\)</text>.*>brelu \\(odd i\\)</text>")
      fail("the legend does not name brelu's two branches")
    endif()
    # steps: no vertical line across a jump (binary_step: two pieces; round on [-2,2]: 4 jumps)
    run(plot binary_step round --range -2:2 -o "${DIR}/s.svg")
    file(READ "${DIR}/s.svg" svg)
    string(REGEX MATCHALL "class=\"curve\"[^>]* d=\"[^\"]*\"" paths "${svg}")
    list(LENGTH paths npaths)
    if(NOT npaths EQUAL 2)
      fail("${npaths} curves, expected 2")
    else()
      set(i 0)
      foreach(want 2 5)
        list(GET paths ${i} d)
        string(REGEX MATCHALL "M" moves "${d}")
        list(LENGTH moves n)
        if(NOT n EQUAL want)
          fail("curve ${i} has ${n} pieces, expected ${want} (a jump drawn as a line?)")
        endif()
        math(EXPR i "${i} + 1")
      endforeach()
    endif()
    check_xml("${DIR}/p.svg" "${DIR}/b.svg" "${DIR}/s.svg")
    # Pixels back to values through the axis ticks (python3 only).
    if(PYTHON)
      file(WRITE "${DIR}/pixels.py" [=[
import re, sys, xml.dom.minidom as md
svg, tsv = sys.argv[1], sys.argv[2]
doc = md.parse(svg)
def text(e):
    return "".join(n.data for n in e.childNodes if n.nodeType == n.TEXT_NODE)
def axis(cls, attr):  # (value, pixel) of each tick, and the linear map between them
    ticks = []
    for g in doc.getElementsByTagName("g"):
        if g.getAttribute("class") == cls:
            ticks.append((float(text(g.getElementsByTagName("text")[0])),
                          float(g.getElementsByTagName("line")[0].getAttribute(attr))))
    assert len(ticks) >= 3, "fewer than 3 ticks on " + cls
    (v0, p0), (v1, p1) = ticks[0], ticks[-1]
    k = (p1 - p0) / (v1 - v0)
    for v, p in ticks:  # labels and positions agree (labels are rounded values)
        assert abs(p0 + (v - v0) * k - p) < 0.02, (cls, v, p)
    return (lambda v: p0 + (v - v0) * k), (lambda p: v0 + (p - p0) / k)
xpix, xval = axis("xtick", "x1")
ypix, _ = axis("ytick", "y1")
r = doc.getElementsByTagName("clipPath")[0].getElementsByTagName("rect")[0]
fx0, fy0 = float(r.getAttribute("x")), float(r.getAttribute("y"))
fx1, fy1 = fx0 + float(r.getAttribute("width")), fy0 + float(r.getAttribute("height"))
data = {}
for line in open(tsv):
    if not line.startswith("#"):
        label, x, y = line.rstrip("\n").split("\t")
        data.setdefault(label, []).append((float(x), float(y)))
checked = 0
for path in doc.getElementsByTagName("path"):
    label = text(path.getElementsByTagName("title")[0])
    pts = data[label]
    n, xa, xb = len(pts), pts[0][0], pts[-1][0]
    mine = 0
    for cmd, px, py in re.findall(r"([ML])(-?[0-9.]+),(-?[0-9.]+)", path.getAttribute("d")):
        px, py = float(px), float(py)
        if not (fx0 <= px <= fx1 and fy0 <= py <= fy1):
            continue  # a clipped end, outside the frame
        i = round((xval(px) - xa) / (xb - xa) * (n - 1))
        x, y = pts[i]
        assert abs(xpix(x) - px) <= 0.5 and abs(ypix(y) - py) <= 0.5, \
            "%s: vertex (%g, %g) is not point %d (%g, %g) at (%g, %g)" % (
                label, px, py, i, x, y, xpix(x), ypix(y))
        mine += 1
    assert mine >= 2, label + ": no vertex checked"
    checked += mine
print("%d vertices map back to the device's values within half a pixel" % checked)
]=])
      foreach(pair "p.svg;p.tsv" "b.svg;b.tsv")
        list(GET pair 0 s)
        list(GET pair 1 t)
        execute_process(COMMAND "${PYTHON}" "${DIR}/pixels.py" "${DIR}/${s}" "${DIR}/${t}"
                        RESULT_VARIABLE r OUTPUT_VARIABLE o ERROR_VARIABLE e)
        message("${s}: ${o}${e}")
        if(NOT r EQUAL 0)
          fail("${s}: pixels do not map back to the values: ${e}")
        endif()
      endforeach()
    else()
      message("no python3: the pixel-to-value check is skipped")
    endif()
  elseif(CASE STREQUAL "gallery")
    run(plot --gallery -o "${DIR}/gallery")
    separate_arguments(ids UNIX_COMMAND "${IDS}")
    list(LENGTH ids nids)
    file(GLOB svgs "${DIR}/gallery/*.svg")
    list(LENGTH svgs nsvg)
    if(NOT nsvg EQUAL nids)
      fail("${nsvg} SVG files, expected ${nids} (one per activation)")
    endif()
    if(NOT EXISTS "${DIR}/gallery/index.html")
      fail("no index.html")
    else()
      file(READ "${DIR}/gallery/index.html" html)
      foreach(id IN LISTS ids)
        if(NOT EXISTS "${DIR}/gallery/${id}.svg")
          fail("no ${id}.svg")
        endif()
        string(FIND "${html}" "<img src=\"${id}.svg\"" at)
        if(at LESS 0)
          fail("index.html does not show ${id}.svg")
        endif()
      endforeach()
      if(NOT html MATCHES "<h2>1\\. The classic table</h2>.*<h2>2\\. Activations of the deep")
        fail("index.html is not grouped as CATALOGUE.md")
      endif()
      if(html MATCHES "Other activations")
        fail("activations missing from the section table of cmd_plot.c (see 'Other')")
      endif()
    endif()
    check_xml(${svgs})
  endif()
  no_leftovers("${DIR}")
  if(failures)
    message(FATAL_ERROR "clact plot (${CASE}):\n${failures}")
  endif()
  return()
endif()

# ---- the tests --------------------------------------------------------------------------------
find_program(CLACT_PLOT_PYTHON NAMES python3)
find_program(CLACT_PLOT_XMLLINT NAMES xmllint)
set(CLACT_PLOT_TOOLS "")
if(CLACT_PLOT_PYTHON)
  list(APPEND CLACT_PLOT_TOOLS -DPYTHON=${CLACT_PLOT_PYTHON})
endif()
if(CLACT_PLOT_XMLLINT)
  list(APPEND CLACT_PLOT_TOOLS -DXMLLINT=${CLACT_PLOT_XMLLINT})
endif()
set(CLACT_PLOT_SCRATCH ${CMAKE_CURRENT_BINARY_DIR}/plot-scratch)

clact_cli_test(plot_help ARGS "plot --help" RC 0
               OUT "usage: clact plot ID.*--gallery.*y range.*Breaks.*Exit status")
clact_cli_test(plot_no_output ARGS "plot relu" RC 2 ERR "give the output with -o FILE.svg")
clact_cli_test(plot_no_ids ARGS "plot -o x.svg" RC 2 ERR "give one or more activation ids")
clact_cli_test(plot_gallery_ids ARGS "plot relu --gallery -o dir" RC 2 ERR "give no ids")
clact_cli_test(plot_gallery_dump ARGS "plot --gallery -o dir --dump d.tsv" RC 2
               ERR "--dump is for a single plot")
clact_cli_test(plot_bad_range ARGS "plot relu -o x.svg --range 6" RC 2 ERR "is not A:B")
clact_cli_test(plot_reversed_range ARGS "plot relu -o x.svg --range 2:-2" RC 2 ERR "give A < B")
clact_cli_test(plot_bad_number ARGS "plot relu -o x.svg --range -1:z" RC 2 ERR "'z' is not a number")
clact_cli_test(plot_narrow_range ARGS "plot relu -o x.svg --range 1:1.00001" RC 2
               ERR "too narrow for 2001 distinct float32 points")
clact_cli_test(plot_unknown_id ARGS "plot relu nosuch -o x.svg" RC 3
               ERR "unknown activation 'nosuch'")
clact_cli_test(plot_bad_device_spec ARGS "plot relu -o x.svg --device zero" RC 2
               ERR "PLATFORM:DEVICE")
clact_cli_test(plot_unwritable ARGS "plot relu -o ${CLACT_PLOT_SCRATCH}-missing/dir/x.svg" RC 3
               DEVICE ERR "cannot write .*x.svg")
file(WRITE ${CLACT_PLOT_SCRATCH}-file "a file, not a folder\n")
clact_cli_test(plot_gallery_not_dir ARGS "plot --gallery -o ${CLACT_PLOT_SCRATCH}-file" RC 3
               ERR "is not a folder")

foreach(case values gallery)
  clact_test(cli/plot_${case}
             COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:clact_cli> -DCASE=${case}
                     -DDIR=${CLACT_PLOT_SCRATCH}/${case} "-DIDS=${CLACT_CLI_IDS}"
                     ${CLACT_PLOT_TOOLS} -P ${CMAKE_CURRENT_LIST_FILE}
             LABELS cli)
  set_tests_properties(cli/plot_${case} PROPERTIES SKIP_REGULAR_EXPRESSION
                                                   "no OpenCL platform found: skipped")
endforeach()
