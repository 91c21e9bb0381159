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
const PERSON_NAME = "minutes-person-name"; // generator/cms.py PERSON_NAME
const NEEDED = "needed_with_part"; // generator/cms.py NEEDED
const NO_MEDIA = "minutes-no-media"; // generator/cms.py NO_MEDIA
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

// A person's name: typed freely (the people registry is optional, and a new member is named
// before anyone adds them to it), with the registry's names offered as the clerk types.
function personNameControl() {
  const h = window.h;
  return window.createClass({
    getInitialState() {
      return { names: [] };
    },
    componentDidMount() {
      const { query, forID } = this.props;
      Promise.resolve(query(forID, "registries", ["people.*.name"], "", "people"))
        .then((result) => {
          const names = new Set();
          for (const hit of result?.payload?.hits || []) {
            for (const person of hit.data?.people || []) if (person?.name) names.add(String(person.name));
          }
          this.setState({ names: [...names].sort() });
        })
        .catch(() => {}); // no people registry: nothing to offer, any name may still be typed
    },
    render() {
      const { forID, value, classNameWrapper, setActiveStyle, setInactiveStyle, onChange } = this.props;
      const list = `${forID}-people`;
      return h(
        "div",
        null,
        h("input", {
          type: "text",
          id: forID,
          className: classNameWrapper,
          value: value || "",
          list,
          autoComplete: "off",
          onChange: (event) => onChange(event.target.value),
          onFocus: setActiveStyle,
          onBlur: setInactiveStyle,
        }),
        h("datalist", { id: list }, this.state.names.map((name) => h("option", { key: name, value: name }))),
      );
    },
  });
}

// What Decap CMS cannot say in the form: a part marked NEEDED is required once the optional part
// it belongs to is filled in (the next meeting's date, once a venue is given). Each is named, so
// the clerk is told what to fill in before the record is saved.
function missingParts(fields, data, path) {
  const missing = [];
  for (const field of fields || []) {
    const value = data ? data[field.name] : undefined;
    const where = [...path, field.label || field.name];
    if (field.widget === "object" && !isEmpty(withoutEmpty(value))) {
      for (const part of field.fields || []) {
        if (part[NEEDED] && isEmpty(withoutEmpty(value[part.name]))) {
          missing.push(`${where.join(" › ")}: ${part.label || part.name} is needed once this part is filled in.`);
        }
      }
      missing.push(...missingParts(field.fields, value, where));
    } else if (field.widget === "list" && Array.isArray(value)) {
      value.forEach((entry, i) => {
        const type = field.types && field.types.find((t) => t.name === entry?.[field.typeKey]);
        const parts = type ? type.fields : field.fields;
        if (parts && entry && typeof entry === "object") {
          missing.push(...missingParts(parts, entry, [...where, `${field.label_singular || "entry"} ${i + 1}`]));
        }
      });
    }
  }
  return missing;
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
  window.CMS.registerWidget(PERSON_NAME, personNameControl());
  // No field uploads a file: a library that is never shown, and whose tab Decap CMS then leaves out.
  window.CMS.registerMediaLibrary({ name: NO_MEDIA, init: () => ({ enableStandalone: () => false }) });
  const meetings = config.collections.find((collection) => collection.format === FORMAT);
  window.CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      const missing = missingParts(meetings.fields, entry.get("data").toJS(), []);
      if (missing.length) throw new Error(missing.join(" "));
    },
  });
  window.CMS.init({ config: { ...config, load_config_file: false } });
}

// For the tests, which check that a record read and written back is the same record.
window.minutesFormat = { fromFile, toFile };
start();
