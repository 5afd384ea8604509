// What the WebGL map page needs, as one global: graphology's Graph and sigma's renderer.
import Graph from "graphology";
import Sigma from "sigma";

window.HainetWebGL = { Graph, Sigma };
