package mmucheck.refinement.tlc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.Action;
import tlc2.tool.TLCState;
import tlc2.tool.impl.FastTool;
import tlc2.util.Context;
import tlc2.util.FP64;
import tlc2.value.impl.Value;
import util.SimpleFilenameToStream;

/**
 * A spec parsed by TLC and what the checker needs of it: the variables, the actions of
 * {@code Next} split by TLC (one {@link Action} per name and argument values) and the other
 * operators a log may name, Init's conjuncts, TypeOK and the invariants; and the resolution of
 * a logged action and its arguments to an Action.
 */
final class LoadedSpec {
    final FastTool tool;
    final Path specCopy;
    final String module;
    final OpDeclNode[] vars;
    final Map<String, Integer> varIndex = new HashMap<>();
    private final Map<String, OpDefNode> actionDefs = new LinkedHashMap<>();
    private final Map<String, List<Action>> splitByName = new LinkedHashMap<>();
    private final Map<String, Action> splitByKey = new HashMap<>();
    private final Map<String, List<String>> formalsOf = new HashMap<>();
    final Action[] initConjuncts;
    /** TypeOK, or null when the spec has none. */
    final Action typeOk;
    final List<String> invNames = new ArrayList<>();
    final List<Action> invariants = new ArrayList<>();
    private final ByteArrayOutputStream toolOutput;

    /**
     * Parses module {@code module} of {@code specCopyDir} with config {@code cfgName}.cfg there;
     * TLC's messages go to {@code toolOutput} (see {@link #oneLine}). Throws what TLC throws.
     */
    LoadedSpec(String specCopyDir, String module, String cfgName, List<String> invariantCandidates,
            ByteArrayOutputStream toolOutput) {
        this.toolOutput = toolOutput;
        FP64.Init(0);
        this.specCopy = Path.of(specCopyDir);
        this.module = module;
        tool = new FastTool(specCopyDir, module, cfgName, new SimpleFilenameToStream(specCopyDir) {
            // The --via-tlc override lives in mmucheck's jar, which is on the system class
            // path; TLC would find it and fail to load it outside this loader. Hide it.
            @Override
            public java.io.File resolve(String name, boolean isModule) {
                return name.replace('/', '.').startsWith("tlc2.overrides.TLCOverrides") ? null : super.resolve(name, isModule);
            }
        });
        vars = TLCState.Empty.getVars();
        for (int i = 0; i < vars.length; i++) {
            varIndex.put(vars[i].getName().toString(), i);
        }
        for (Action a : tool.getActions()) {
            String name = a.getName().toString();
            splitByName.computeIfAbsent(name, k -> new ArrayList<>()).add(a);
            OpDefNode def = a.getOpDef();
            if (def != null) {
                actionDefs.putIfAbsent(name, def);
                Value[] argv = boundArgs(a, def);
                if (argv != null) {
                    splitByKey.putIfAbsent(key(name, argv), a);
                }
            }
        }
        // Operators of the root module with parameters that Next does not split can still
        // be logged; they are evaluated from their body with the arguments bound.
        for (OpDefNode d : tool.getRootModule().getOpDefs()) {
            if (d.getKind() == ASTConstants.UserDefinedOpKind && d.getArity() > 0 && !Syntax.isStandard(d)) {
                actionDefs.putIfAbsent(d.getName().toString(), d);
            }
        }
        tlc2.util.Vect<Action> init = tool.getInitStateSpec();
        initConjuncts = new Action[init.size()];
        for (int i = 0; i < initConjuncts.length; i++) {
            initConjuncts[i] = init.elementAt(i);
        }
        Action type = null;
        for (String inv : invariantCandidates) {
            OpDefNode d = rootDef(inv);
            if (d == null || d.getArity() != 0) {
                continue;
            }
            if (inv.equals("TypeOK")) {
                type = new Action(d.getBody(), Context.Empty, d);
            } else if (!invNames.contains(inv)) {
                invNames.add(inv);
                invariants.add(new Action(d.getBody(), Context.Empty, d));
            }
        }
        if (type == null && rootDef("TypeOK") != null && rootDef("TypeOK").getArity() == 0) {
            OpDefNode d = rootDef("TypeOK");
            type = new Action(d.getBody(), Context.Empty, d);
        }
        typeOk = type;
    }

    /** Spec facts: variables, actions with their parameters, invariants. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> vs = new ArrayList<>(varIndex.keySet());
        vs.sort(null);
        m.put("variables", vs);
        Map<String, Object> acts = new LinkedHashMap<>();
        actionDefs.forEach((n, d) -> {
            List<String> ps = new ArrayList<>();
            for (FormalParamNode p : d.getParams()) {
                ps.add(p.getName().toString());
            }
            acts.put(n, ps);
        });
        m.put("actions", acts);
        m.put("nextActions", new ArrayList<>(splitByName.keySet()));
        m.put("invariants", new ArrayList<>(invNames));
        m.put("typeInvariant", typeOk != null);
        return m;
    }

    /** The values Next bound to {@code def}'s parameters in split action {@code a}, or null. */
    static Value[] boundArgs(Action a, OpDefNode def) {
        FormalParamNode[] ps = def.getParams();
        Value[] out = new Value[ps.length];
        for (int i = 0; i < ps.length; i++) {
            Object v = a.con.lookup(ps[i]);
            if (!(v instanceof Value)) {
                return null;
            }
            out[i] = (Value) v;
        }
        return out;
    }

    /** An action's name and argument values as one key (by the values' fingerprints). */
    static String key(String name, Value[] args) {
        StringBuilder b = new StringBuilder(name);
        for (Value v : args) {
            b.append('\u0000').append(v.fingerPrint(FP64.New()));
        }
        return b.toString();
    }

    /** The Action for a logged action and arguments (JDK values), or a bad-input message. */
    Object resolve(String action, Map<String, Object> args) {
        OpDefNode def = actionDefs.get(action);
        if (def == null) {
            return "unknown action '" + action + "' (not an action of spec " + module + ")";
        }
        List<String> formals = formals(action, def);
        if (formals.size() != args.size() || !args.keySet().containsAll(formals)) {
            return "action " + action + " takes (" + String.join(", ", formals) + "), the log gives ("
                    + String.join(", ", args.keySet()) + ")";
        }
        Value[] argv = new Value[formals.size()];
        for (int i = 0; i < argv.length; i++) {
            Object v = JdkValues.toValue(args.get(formals.get(i)), action + " argument " + formals.get(i));
            if (v instanceof String) {
                return v;
            }
            argv[i] = (Value) v;
        }
        return resolveBound(action, def, formals, argv);
    }

    /** resolve() for arguments already TLC values (the fast path); null when the names do not fit. */
    Object resolveValues(String action, Map<String, Value> args) {
        OpDefNode def = actionDefs.get(action);
        if (def == null) {
            return null;
        }
        List<String> formals = formals(action, def);
        if (formals.size() != args.size() || !args.keySet().containsAll(formals)) {
            return null;
        }
        Value[] argv = new Value[formals.size()];
        for (int i = 0; i < argv.length; i++) {
            argv[i] = args.get(formals.get(i));
        }
        return resolveBound(action, def, formals, argv);
    }

    private List<String> formals(String action, OpDefNode def) {
        return formalsOf.computeIfAbsent(action, k -> {
            List<String> l = new ArrayList<>();
            for (FormalParamNode p : def.getParams()) {
                l.add(p.getName().toString());
            }
            return l;
        });
    }

    private Object resolveBound(String action, OpDefNode def, List<String> formals, Value[] argv) {
        FormalParamNode[] ps = def.getParams();
        List<Action> split = splitByName.get(action);
        if (split != null && !split.isEmpty()) {
            Action a = splitByKey.get(key(action, argv));
            if (a != null) {
                return a;
            }
            if (boundArgs(split.get(0), def) != null) {
                // Next quantifies this action's parameters over the model's sets: outside them.
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < ps.length; i++) {
                    b.append(i == 0 ? "" : ", ").append(formals.get(i)).append(" = ").append(argv[i]);
                }
                return "arguments of " + action + " outside the model's sets: " + b;
            }
        }
        Context c = Context.Empty;
        for (int i = 0; i < ps.length; i++) {
            c = c.cons(ps[i], argv[i]);
        }
        return new Action(def.getBody(), c, def);
    }

    /** An action with its arguments, as verdicts show it: {@code name(p = v, ...)}. */
    static String label(Action a) {
        OpDefNode d = a.getOpDef();
        String name = a.getName().toString();
        if (d == null) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append('(');
        FormalParamNode[] ps = d.getParams();
        for (int i = 0; i < ps.length; i++) {
            Object v = a.con.lookup(ps[i]);
            b.append(i == 0 ? "" : ", ").append(ps[i].getName()).append(" = ").append(v);
        }
        return b.append(')').toString();
    }

    private OpDefNode rootDef(String name) {
        for (OpDefNode d : tool.getRootModule().getOpDefs()) {
            if (d.getName().toString().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** e's message on one line, with the error line TLC wrote to its output, if any. */
    String oneLine(Throwable e) {
        return oneLine(toolOutput, e);
    }

    static String oneLine(ByteArrayOutputStream toolOutput, Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String out = toolOutput.toString(StandardCharsets.UTF_8);
        // SANY and the config parser put the useful part on ToolIO; keep its last error line.
        for (String line : out.split("\n")) {
            String t = line.trim();
            if (t.contains("rror") || t.contains("line ")) {
                msg = t + (msg.equals(t) ? "" : " " + msg);
                break;
            }
        }
        return msg.replaceAll("\\s+", " ").trim();
    }

    /** A failure map: {@code kind} and {@code message} (see TlcBridge). */
    static Map<String, Object> fail(String kind, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("message", message);
        return m;
    }
}
