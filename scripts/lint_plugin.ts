/**
 * @module
 * Project lint rules: lib/ reaches the outside world only through lib/sys/ (and the console only
 * through lib/ui/output.ts), so unit tests can pass fakes.
 */

const SEAMS = /^(Command|env|exit|kill|watchFs|addSignalListener|serve)$/;

function inLib(filename: string): boolean {
  return /\/lib\//.test(filename) && !/\/lib\/sys\//.test(filename);
}

const plugin: Deno.lint.Plugin = {
  name: "clodputer",
  rules: {
    "sys-seams": {
      create(context) {
        if (!inLib(context.filename)) return {};
        return {
          MemberExpression(node) {
            if (
              node.object.type === "Identifier" && node.object.name === "Deno" &&
              node.property.type === "Identifier" && SEAMS.test(node.property.name)
            ) {
              context.report({
                node,
                message:
                  `Deno.${node.property.name} outside lib/sys/: take it from the seam in lib/sys/`,
              });
            }
          },
          CallExpression(node) {
            if (
              node.callee.type === "Identifier" &&
              /^(setTimeout|setInterval)$/.test(node.callee.name)
            ) {
              context.report({
                node,
                message: `${node.callee.name} outside lib/sys/: use Clock.sleep`,
              });
            }
            if (
              node.callee.type === "MemberExpression" && node.callee.object.type === "Identifier" &&
              node.callee.object.name === "Date" && node.callee.property.type === "Identifier" &&
              node.callee.property.name === "now"
            ) {
              context.report({ node, message: "Date.now outside lib/sys/: use Clock.now" });
            }
          },
        };
      },
    },
    "console-only-in-output": {
      create(context) {
        if (!/\/lib\//.test(context.filename) || /\/lib\/ui\/output\.ts$/.test(context.filename)) {
          return {};
        }
        return {
          MemberExpression(node) {
            if (node.object.type === "Identifier" && node.object.name === "console") {
              context.report({
                node,
                message: "console outside lib/ui/output.ts: write through Output",
              });
            }
          },
        };
      },
    },
  },
};

export default plugin;
