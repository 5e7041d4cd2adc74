// Reads a JSON array of PromQL expressions on stdin; prints, for each, the metric names its
// vector selectors name and the offset of its first syntax error (null when it parses).
const { parser } = require('@prometheus-io/lezer-promql');
const expressions = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const results = expressions.map(expr => {
  const metrics = new Set();
  let error = null;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError && error === null) error = node.from;
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) metrics.add(expr.slice(id.from, id.to));
      }
    },
  });
  return { expr, error, metrics: [...metrics] };
});
process.stdout.write(JSON.stringify(results));
