-- speechpub's EPUB server: one `pandoc lua` process writes many EPUBs, so a batch pays pandoc's
-- start-up (page faults of its 64 MB heap, loading the writer) once per worker instead of once
-- per speech. The wheel's pandoc has no working `pandoc server` (no threaded runtime).
--
-- Protocol, one request at a time on stdin/stdout:
--   request:  a line of JSON {"size": n, "out": path, "toc_depth": d, "fonts": [path, ...]},
--             then n bytes: the document as pandoc's JSON AST
--   reply:    a line of JSON {"ok": true, "log": [message, ...]} or {"ok": false, "error": text}
-- The first line out is {"api": "1.23.1", "pandoc": "3.9"}: the versions of pandoc-types and pandoc.
--
-- pandoc's --sandbox does not reach pandoc.write (jgm/pandoc#8273), so what would make the
-- EPUB writer read a file is refused before writing: images, raw HTML/TeX (their <img> are
-- fetched), and metadata other than the fields speechpub sets (no cover-image, css, fonts).

local ALLOWED_META = {title = true, lang = true, identifier = true, ["toc-title"] = true,
                      pagetitle = true, creator = true, subtitle = true, date = true, subject = true}

local function refuse_reads(doc)
  for key in pairs(doc.meta) do
    if not ALLOWED_META[key] then error("metadata field not allowed: " .. key, 0) end
  end
  local found
  local function bad(el) found = found or el.t end
  doc:walk({Image = bad, RawInline = bad, RawBlock = bad})
  if found then error("element not allowed: " .. found, 0) end
end

local template = pandoc.template.compile(pandoc.template.default("epub3"))
local extensions = pandoc.format.default_extensions("epub3")

local function write(head, body)
  local doc = pandoc.read(body, "json")
  refuse_reads(doc)
  local opts = pandoc.WriterOptions{
    table_of_contents = true, toc_depth = head.toc_depth, split_level = 1,
    epub_title_page = false, wrap_text = "wrap-none", template = template,
    extensions = extensions, epub_fonts = head.fonts or {},
  }
  local epub = pandoc.write(doc, "epub3", opts)
  local f = assert(io.open(head.out, "wb"))
  f:write(epub)
  f:close()
end

local function reply(t)
  io.stdout:write(pandoc.json.encode(t), "\n")
  io.stdout:flush()
end

reply({api = tostring(PANDOC_API_VERSION), pandoc = tostring(PANDOC_VERSION)})
while true do
  local line = io.read("l")
  if not line then break end
  local head = pandoc.json.decode(line, false)
  local body = io.read(head.size)
  local seen = #PANDOC_STATE.log
  local ok, err = pcall(write, head, body)
  if ok then
    local said = {}
    for i = seen + 1, #PANDOC_STATE.log do
      local m = pandoc.json.decode(pandoc.json.encode(PANDOC_STATE.log[i]), false)
      if m.verbosity ~= "INFO" then
        said[#said + 1] = "[" .. m.verbosity .. "] " .. m.pretty:gsub("%s*\n%s*", " ")
      end
    end
    reply({ok = true, log = said})
  else
    reply({ok = false, error = tostring(err)})
  end
end
