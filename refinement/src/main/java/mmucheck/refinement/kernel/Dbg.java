package mmucheck.refinement.kernel;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

final class Dbg {
    public static void main(String[] a) {
        var r = FtraceParser.read(Path.of(a[0]));
        List<Function<List<FtraceEvent>, FtraceMutations.Mutation>> ms = List.of(FtraceMutations::dropFlush,
                FtraceMutations::freeBeforeFlush, FtraceMutations::dropMnEnd, FtraceMutations::nestedWithoutFullFlush);
        int n = 0;
        for (var f : ms) {
            n++;
            long t0 = System.nanoTime();
            var m = f.apply(r.events());
            System.out.println("mutation " + n + ": " + (m == null ? "none" : m.description()) + " pick " + (System.nanoTime() - t0) / 1e9);
            if (m == null) continue;
            var rep = KernelCheck.run(m.events(), "mut" + n, Path.of(a[1] + n), 100, KernelCheck.Env.fromSystem(), 0);
            KernelCheck.render(rep).forEach(System.out::println);
        }
    }
}
