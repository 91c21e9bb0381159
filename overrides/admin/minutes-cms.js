// The editor at /admin/: Decap CMS, with the archive's record format (generator/cms.py makes its form).
//
// A record is read as the archive reads it (generator/source.py): every plain scalar is the
// text that was typed, except null and true/false, so "20", "1.10" and "12:30" stay as written.
// It is written back with its first line (where editors' tools find the schema), its header
// comments, a person named by name alone as a bare name, and no empty values (an empty value
// and an absent one are the same record).
import YAML from "./vendor/yaml/index.js";

const FORMAT = "minutes-yaml";
const MODELINE = "# yaml-language-server: $schema=../../../schema/meeting.schema.json";
const HEADER = "header_comments"; // generator/cms.py HEADER
const KIND = "kind"; // generator/cms.py ITEM_KIND
const NULL = /^(?:~|null|Null|NULL|)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;

function headerOf(text) {
  const lines = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("#")) break;
    if (!line.startsWith("# yaml-language-server:")) lines.push(line);
  }
  return lines.join("\n");
}

function people(record) {
  const attendance = record.attendance || {};
  return [record.chairs, attendance.present, attendance.apologies, attendance.substitutes].filter(Array.isArray);
}

function fromFile(text) {
  const doc = YAML.parseDocument(text, { schema: "failsafe" });
  if (doc.errors.length) throw new Error(doc.errors[0].message);
  YAML.visit(doc, {
    Scalar(key, node) {
      if (node.type !== "PLAIN" || typeof node.value !== "string") return;
      if (NULL.test(node.value)) node.value = null;
      else if (BOOL.test(node.value)) node.value = node.value.toLowerCase() === "true";
    },
  });
  const record = doc.toJS() || {};
  for (const list of people(record)) {
    list.forEach((person, i) => {
      if (typeof person === "string") list[i] = { name: person };
    });
  }
  for (const item of record.items || []) {
    if (item && typeof item === "object") item[KIND] = item.private_under == null ? "public" : "private";
  }
  const header = headerOf(text);
  if (header) record[HEADER] = header;
  return record;
}

function isEmpty(value) {
  if (value === null || value === undefined || value === "" || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

function withoutEmpty(value) {
  if (Array.isArray(value)) return value.map(withoutEmpty).filter((v) => !isEmpty(v));
  if (value && typeof value === "object") {
    const kept = {};
    for (const [key, inner] of Object.entries(value)) {
      const cleaned = withoutEmpty(inner);
      if (!isEmpty(cleaned)) kept[key] = cleaned;
    }
    return kept;
  }
  return value;
}

function toFile(data) {
  const record = JSON.parse(JSON.stringify(data || {}));
  const header = record[HEADER];
  delete record[HEADER];
  for (const item of record.items || []) delete item[KIND];
  const cleaned = withoutEmpty(record);
  for (const list of people(cleaned)) {
    list.forEach((person, i) => {
      if (Object.keys(person).length === 1 && typeof person.name === "string") list[i] = person.name;
    });
  }
  const body = YAML.stringify(cleaned, { lineWidth: 0, indentSeq: true });
  return [MODELINE, header, body].filter(Boolean).join("\n");
}

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") || undefined;

// The configuration is read here, not by Decap CMS, which ignores a config.yml that a server
// sends without a YAML content type (as Python's and MkDocs' own servers do) once init() is given any.
async function start() {
  const response = await fetch("config.yml", { credentials: "same-origin" });
  if (!response.ok) throw new Error(`config.yml could not be read (${response.status})`);
  const config = YAML.parse(await response.text());
  config.backend = { ...config.backend, repo: meta("minutes-repo"), branch: meta("minutes-branch") || "main" };
  if (meta("minutes-auth")) config.backend.base_url = meta("minutes-auth");
  window.CMS.registerCustomFormat(FORMAT, "yml", { fromFile, toFile });
  window.CMS.init({ config: { ...config, load_config_file: false } });
}

// For the tests, which check that a record read and written back is the same record.
window.minutesFormat = { fromFile, toFile };
start();
