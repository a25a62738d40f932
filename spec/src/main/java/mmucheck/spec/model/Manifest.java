package mmucheck.spec.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code spec/models/manifest.json}: the bundled models with their expected verdicts, so the model
 * set is a regression suite.
 *
 * @param spec the top module (its file is {@code <spec dir>/<spec>.tla})
 * @param modelsDir the directory holding the manifest and the cfg files
 */
public record Manifest(String spec, List<ModelEntry> models, Path modelsDir) {
    private static final Pattern EXPECTED = Pattern.compile("holds|deadlock|violates:[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Manifest {
        models = List.copyOf(models);
    }

    public Optional<ModelEntry> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Path cfgPath(ModelEntry m) {
        return modelsDir.resolve(m.cfg());
    }

    /** The top module TLC runs for m: its own {@code spec} field, else the manifest's. */
    public String specOf(ModelEntry m) {
        return m.spec() == null ? spec : m.spec();
    }

    /** Reads and validates; every problem is one line naming the file and the field. */
    public static Manifest read(Path file) throws BadInputException {
        String where = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(where + ": file not found");
        } catch (IOException e) {
            throw new BadInputException(where + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ":" + e.getLocation().getLineNr() + ": not JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(where + ": expected a JSON object at the top");
        }
        String spec = string(root, "spec", where);
        JsonNode arr = root.get("models");
        if (arr == null || !arr.isArray()) {
            throw new BadInputException(where + ": field 'models' must be an array");
        }
        Path dir = file.toAbsolutePath().getParent();
        List<ModelEntry> models = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode m = arr.get(i);
            String at = where + ": models[" + i + "]";
            if (!m.isObject()) {
                throw new BadInputException(at + ": expected an object");
            }
            String name = string(m, "name", at);
            at = where + ": models[" + i + "] (" + name + ")";
            if (!NAME.matcher(name).matches()) {
                throw new BadInputException(at + ": field 'name' must be letters, digits, '_', '-' or '.'");
            }
            if (!names.add(name)) {
                throw new BadInputException(at + ": field 'name' repeats an earlier model");
            }
            String cfg = string(m, "cfg", at);
            if (!cfg.endsWith(".cfg")) {
                throw new BadInputException(at + ": field 'cfg' must name a .cfg file");
            }
            if (!Files.isRegularFile(dir.resolve(cfg))) {
                throw new BadInputException(at + ": field 'cfg': " + dir.resolve(cfg) + " not found");
            }
            String scenario = string(m, "scenario", at);
            JsonNode v = m.get("variant");
            if (v == null || !v.isObject()) {
                throw new BadInputException(at + ": field 'variant' must be an object of strings");
            }
            Map<String, String> variant = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new BadInputException(at + ": field 'variant." + e.getKey() + "' must be a string");
                }
                variant.put(e.getKey(), e.getValue().textValue());
            }
            String expected = string(m, "expected", at);
            if (!EXPECTED.matcher(expected).matches()) {
                throw new BadInputException(at + ": field 'expected' must be holds, deadlock or violates:<Name>, not '"
                        + expected + "'");
            }
            long distinct = count(m, "distinct", at);
            long depth = count(m, "depth", at);
            if (depth > Integer.MAX_VALUE) {
                throw new BadInputException(at + ": field 'depth' is too large");
            }
            String tierText = string(m, "tier", at);
            ModelEntry.Tier tier;
            switch (tierText) {
                case "unit" -> tier = ModelEntry.Tier.UNIT;
                case "ci" -> tier = ModelEntry.Tier.CI;
                case "bench" -> tier = ModelEntry.Tier.BENCH;
                default -> throw new BadInputException(at + ": field 'tier' must be unit, ci or bench, not '"
                        + tierText + "'");
            }
            JsonNode ex = m.get("explain");
            if (ex != null && !ex.isTextual()) {
                throw new BadInputException(at + ": field 'explain' must be a string");
            }
            JsonNode sp = m.get("spec");
            if (sp != null && !(sp.isTextual() && MODULE.matcher(sp.textValue()).matches())) {
                throw new BadInputException(at + ": field 'spec' must name a module (letters, digits, '_')");
            }
            models.add(new ModelEntry(name, cfg, scenario, variant, expected, distinct, (int) depth, tier,
                    ex == null ? "" : ex.textValue(), sp == null ? null : sp.textValue()));
        }
        return new Manifest(spec, models, dir);
    }

    private static String string(JsonNode o, String field, String at) throws BadInputException {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.textValue().isBlank()) {
            throw new BadInputException(at + ": field '" + field + "' must be a non-empty string");
        }
        return n.textValue();
    }

    private static long count(JsonNode o, String field, String at) throws BadInputException {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < ModelEntry.UNMEASURED) {
            throw new BadInputException(at + ": field '" + field + "' must be a non-negative integer (or -1: not measured)");
        }
        return n.longValue();
    }
}
