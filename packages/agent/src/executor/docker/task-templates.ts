import { AgentError } from "../../errors.ts";

/** The values swarm's task templates can name (`{{.Service.Name}}`, `{{.Task.Slot}}`, ...). */
export interface TemplateContext {
  service: { id: string; name: string };
  node: { id: string; hostname: string };
  task: { id: string; name: string; slot: number };
}

const ACTION = /\{\{(.*?)\}\}/g;
const FIELD = /^\s*\.(Service|Node|Task)\.(ID|Name|Hostname|Slot)\s*$/;

function lookup(context: TemplateContext, group: string, field: string): string | undefined {
  switch (`${group}.${field}`) {
    case "Service.ID":
      return context.service.id;
    case "Service.Name":
      return context.service.name;
    case "Node.ID":
      return context.node.id;
    case "Node.Hostname":
      return context.node.hostname;
    case "Task.ID":
      return context.task.id;
    case "Task.Name":
      return context.task.name;
    case "Task.Slot":
      return String(context.task.slot);
    default:
      return undefined;
  }
}

/** Expands the template fields in one string; anything else inside `{{ }}` is an error. */
export function expandTemplate(text: string, context: TemplateContext, where: string): string {
  if (!text.includes("{{")) return text;
  return text.replace(ACTION, (whole, inner: string) => {
    const match = FIELD.exec(inner);
    const value = match ? lookup(context, match[1] ?? "", match[2] ?? "") : undefined;
    if (value === undefined) {
      throw new AgentError(
        "INVALID_TEMPLATE",
        `${where}: unknown template ${whole}; use {{.Service.ID}}, {{.Service.Name}}, {{.Node.ID}}, ` +
          "{{.Node.Hostname}}, {{.Task.ID}}, {{.Task.Name}} or {{.Task.Slot}}",
      );
    }
    return value;
  });
}

/** Expands `KEY=value` entries: only the value is a template. */
export function expandEnv(env: readonly string[], context: TemplateContext): string[] {
  return env.map((entry) => {
    const eq = entry.indexOf("=");
    if (eq < 0) return entry;
    return entry.slice(0, eq + 1) + expandTemplate(entry.slice(eq + 1), context, `env ${entry.slice(0, eq)}`);
  });
}
