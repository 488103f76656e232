// The state machine drawn from the lifecycle query: statuses in columns by how many events they
// are from STOPPED, one arrow per transition, its event written beside it.
import { eventLabel, statusLabel } from "../format";
import type { EntityEvent, EntityStatus } from "../generated/graphql";

interface Edge {
  event: EntityEvent;
  from: EntityStatus;
  to: EntityStatus;
}

const BOX = { width: 150, height: 40 };
const GAP = { x: 120, y: 40 };
const MARGIN = 20;
/** Space above the first row for arrows that go back to an earlier column. */
const TOP_ROOM = 50;

function layout(edges: Edge[]): Map<EntityStatus, { x: number; y: number }> {
  const depth = new Map<EntityStatus, number>([["STOPPED", 0]]);
  const queue: EntityStatus[] = ["STOPPED"];
  while (queue.length > 0) {
    const status = queue.shift()!;
    for (const edge of edges.filter((e) => e.from === status && !depth.has(e.to))) {
      depth.set(edge.to, depth.get(status)! + 1);
      queue.push(edge.to);
    }
  }
  const rows = new Map<number, number>();
  const positions = new Map<EntityStatus, { x: number; y: number }>();
  for (const [status, column] of depth) {
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(status, {
      x: MARGIN + column * (BOX.width + GAP.x),
      y: MARGIN + TOP_ROOM + row * (BOX.height + GAP.y),
    });
  }
  return positions;
}

type Point = { x: number; y: number };

// Forward arrows go from a box's right side to the next column's left side, labelled near their
// target so the labels of arrows that leave one box apart do not pile up; arrows within a column
// bow out to the right; arrows back to an earlier column bow out above the boxes.
function route(from: Point, to: Point): { path: string; label: Point & { anchor: "end" | "middle" } } {
  const midY = (a: Point) => a.y + BOX.height / 2;
  if (to.x > from.x) {
    const [x1, y1, x2, y2] = [from.x + BOX.width, midY(from), to.x, midY(to)];
    const along = 0.85;
    return {
      path: `M ${x1} ${y1} L ${x2} ${y2}`,
      label: { x: x2 - 8, y: y1 + along * (y2 - y1) - 6, anchor: "end" },
    };
  }
  if (to.x === from.x) {
    const x = from.x + BOX.width;
    const bow = x + 30 + Math.abs(to.y - from.y) / 4;
    return {
      path: `M ${x} ${midY(from)} Q ${bow} ${(midY(from) + midY(to)) / 2} ${x} ${midY(to)}`,
      label: { x: bow + 4, y: (midY(from) + midY(to)) / 2 + 4, anchor: "middle" },
    };
  }
  const [x1, y1, x2, y2] = [from.x + BOX.width / 2, from.y, to.x + BOX.width / 2, to.y];
  const high = Math.min(y1, y2) - TOP_ROOM;
  return {
    path: `M ${x1} ${y1} Q ${(x1 + x2) / 2} ${high} ${x2} ${y2}`,
    label: { x: (x1 + x2) / 2, y: high + TOP_ROOM / 2 - 4, anchor: "middle" },
  };
}

export function LifecycleDiagram({ edges, terminal }: { edges: Edge[]; terminal: EntityStatus[] }) {
  const positions = layout(edges);
  const all = [...positions.values()];
  // Room for the arrows that bow out to the right of the last column.
  const width = Math.max(...all.map((p) => p.x)) + BOX.width + MARGIN + 80;
  const height = Math.max(...all.map((p) => p.y)) + BOX.height + MARGIN;
  return (
    <svg
      className="diagram"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Lifecycle diagram: the table below lists the same transitions"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="10"
          refY="5"
          markerWidth="8"
          markerHeight="8"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" className="diagram-arrow" />
        </marker>
      </defs>
      {edges.map((edge) => {
        const from = positions.get(edge.from);
        const to = positions.get(edge.to);
        if (!from || !to) return null;
        const { path, label } = route(from, to);
        return (
          <g key={`${edge.event}:${edge.from}`}>
            <path d={path} className="diagram-edge" markerEnd="url(#arrow)" />
            <text x={label.x} y={label.y} textAnchor={label.anchor} className="diagram-label">
              {eventLabel(edge.event)}
            </text>
          </g>
        );
      })}
      {[...positions].map(([status, p]) => (
        <g key={status}>
          <rect
            x={p.x}
            y={p.y}
            width={BOX.width}
            height={BOX.height}
            rx={8}
            className={terminal.includes(status) ? "diagram-node diagram-terminal" : "diagram-node"}
          />
          <text x={p.x + BOX.width / 2} y={p.y + BOX.height / 2 + 5} className="diagram-status">
            {statusLabel(status)}
          </text>
        </g>
      ))}
    </svg>
  );
}
