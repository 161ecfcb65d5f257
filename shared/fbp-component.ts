/** A port as fbp-protocol's `component:component` describes it, plus GEGL's bounds for editors. */
export interface PortDefinition {
  id: string;
  type: string;
  description?: string;
  default?: unknown;
  values?: string[];
  minimum?: number;
  maximum?: number;
}

/** A component as the FBP runtime lists it (`component:component`). */
export interface ComponentDefinition {
  name: string;
  description: string;
  icon: string;
  subgraph: boolean;
  inPorts: PortDefinition[];
  outPorts: PortDefinition[];
}

/** The port type of GEGL's image pads (`input`, `aux`, `output`). */
export const IMAGE_PORT_TYPE = "buffer";
