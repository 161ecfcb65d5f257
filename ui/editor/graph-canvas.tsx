import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  Handle,
  type Node,
  type NodeChange,
  type NodeProps,
  Position,
  ReactFlow,
} from "@xyflow/react";
import { useMemo } from "react";
import { type ComponentInfo, isImagePort, type PortInfo } from "./components.ts";
import type { EditorEdge, EditorGraph } from "./editor-graph.ts";

export interface Selection {
  node: string | null;
  edge: string | null;
}

type FbpNodeData = { label: string; component: string; info: ComponentInfo | undefined };

export const edgeKey = ({ src, tgt }: EditorEdge) =>
  `${src.node}.${src.port}->${tgt.node}.${tgt.port}`;

const PORTS_TOP = 44;
const PORT_SPACING = 18;

/** A side's image pads as handles: inputs (targets) on the left, outputs (sources) on the right. */
function PortHandles({ ports, side }: { ports: PortInfo[]; side: "in" | "out" }) {
  return ports.map((port, i) => (
    <Handle
      key={port.id}
      id={port.id}
      type={side === "in" ? "target" : "source"}
      position={side === "in" ? Position.Left : Position.Right}
      style={{ top: PORTS_TOP + i * PORT_SPACING }}
    >
      <span className={`port-label ${side}`}>{port.id}</span>
    </Handle>
  ));
}

/** One process: its id and component, with its image pads. */
function FbpNode({ data, selected }: NodeProps<Node<FbpNodeData>>) {
  const inputs = (data.info?.inPorts ?? []).filter(isImagePort);
  const outputs = (data.info?.outPorts ?? []).filter(isImagePort);
  const rows = Math.max(inputs.length, outputs.length, 1);
  return (
    <div
      className={`fbp-node${selected ? " selected" : ""}`}
      style={{ minHeight: PORTS_TOP + rows * PORT_SPACING }}
    >
      <div className="fbp-node-title">{data.label}</div>
      <div className="fbp-node-component">{data.component}</div>
      <PortHandles ports={inputs} side="in" />
      <PortHandles ports={outputs} side="out" />
    </div>
  );
}

const NODE_TYPES = { fbp: FbpNode };

export interface CanvasProps {
  graph: EditorGraph;
  components: ReadonlyMap<string, ComponentInfo>;
  positions: Record<string, { x: number; y: number }>;
  selection: Selection;
  onSelect(selection: Selection): void;
  onMove(node: string, position: { x: number; y: number }, done: boolean): void;
  onConnect(edge: EditorEdge): void;
  onRemoveNode(node: string): void;
  onRemoveEdge(edge: EditorEdge): void;
}

/** The graph on a React Flow canvas: drag to move, drag port to port to connect, Delete to remove. */
export function GraphCanvas(props: CanvasProps) {
  const { graph, components, positions, selection } = props;
  const nodes = useMemo<Node<FbpNodeData>[]>(
    () =>
      Object.entries(graph.nodes).map(([id, node]) => ({
        id,
        type: "fbp",
        position: positions[id] ?? { x: 0, y: 0 },
        selected: selection.node === id,
        data: { label: id, component: node.component, info: components.get(node.component) },
      })),
    [graph.nodes, components, positions, selection.node],
  );
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((edge) => ({
        id: edgeKey(edge),
        source: edge.src.node,
        sourceHandle: edge.src.port,
        target: edge.tgt.node,
        targetHandle: edge.tgt.port,
        selected: selection.edge === edgeKey(edge),
        interactionWidth: 16,
      })),
    [graph.edges, selection.edge],
  );
  const byKey = new Map(graph.edges.map((edge) => [edgeKey(edge), edge]));

  const onNodesChange = (changes: NodeChange[]) => {
    for (const change of changes) {
      if (change.type === "position" && change.position) {
        props.onMove(change.id, change.position, change.dragging === false);
      } else if (change.type === "select" && change.selected) {
        props.onSelect({ node: change.id, edge: null });
      }
    }
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    for (const change of changes) {
      if (change.type === "select" && change.selected && byKey.has(change.id)) {
        props.onSelect({ node: null, edge: change.id });
      }
    }
  };
  // The runtime removes a node's edges with it: only edges between kept nodes are removed here.
  const onDelete = ({ nodes: gone, edges: cut }: { nodes: Node[]; edges: Edge[] }) => {
    const removed = new Set(gone.map((node) => node.id));
    for (const { id } of cut) {
      const edge = byKey.get(id);
      if (edge && !removed.has(edge.src.node) && !removed.has(edge.tgt.node))
        props.onRemoveEdge(edge);
    }
    for (const id of removed) props.onRemoveNode(id);
  };
  const onConnect = ({ source, sourceHandle, target, targetHandle }: Connection) => {
    if (!sourceHandle || !targetHandle) return;
    props.onConnect({
      src: { node: source, port: sourceHandle },
      tgt: { node: target, port: targetHandle },
    });
  };

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onDelete={onDelete}
      onPaneClick={() => props.onSelect({ node: null, edge: null })}
      deleteKeyCode={["Backspace", "Delete"]}
      fitView
      proOptions={{ hideAttribution: false }}
    >
      <Background />
      <Controls />
    </ReactFlow>
  );
}
