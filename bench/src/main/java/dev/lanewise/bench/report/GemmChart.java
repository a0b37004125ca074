package dev.lanewise.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A grouped bar chart, as plain SVG: GEMM GFLOPS (untransposed, NN) per shape, one bar per impl × precision. */
final class GemmChart {
    private static final int WIDTH = 900, HEIGHT = 500, LEFT = 70, RIGHT = 20, TOP = 50, BOTTOM = 90;
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
            "#b07aa1", "#9c755f"};

    private GemmChart() {
    }

    /** The chart, or null when there are no NN GEMM results. */
    static String svg(List<Result> results) {
        Set<String> shapes = new LinkedHashSet<>();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>(); // "impl precision" -> shape -> GFLOPS
        for (Result r : results) {
            if (!r.benchmarkClass().equals("GemmBenchmark") || !"NN".equals(r.params().get("trans"))) {
                continue;
            }
            Units.Unit unit = Units.of(r.benchmarkClass(), r.params());
            String shape = r.params().get("shape");
            shapes.add(shape);
            series.computeIfAbsent(r.params().get("impl") + " " + r.params().get("precision"),
                    s -> new LinkedHashMap<>()).put(shape, unit.of(r.score()));
        }
        if (shapes.isEmpty()) {
            return null;
        }
        double max = series.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue)
                .max().orElse(1);
        double top = niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        List<String> shapeList = new ArrayList<>(shapes);
        List<String> names = new ArrayList<>(series.keySet());
        double groupW = (double) plotW / shapeList.size();
        double barW = groupW * 0.8 / names.size();

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">"
                + "GEMM throughput, C = A·B (NN), single thread</text>%n", LEFT));
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            double y = TOP + plotH - plotH * v / top;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, WIDTH - RIGHT, y, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, BenchReport.significant(v)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
                + "text-anchor=\"middle\">GFLOPS</text>%n", TOP + plotH / 2, TOP + plotH / 2));
        for (int g = 0; g < shapeList.size(); g++) {
            double x0 = LEFT + g * groupW + groupW * 0.1;
            for (int k = 0; k < names.size(); k++) {
                Double v = series.get(names.get(k)).get(shapeList.get(g));
                if (v == null) {
                    continue;
                }
                double h = plotH * v / top;
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                + "fill=\"%s\"><title>%s %s: %.1f GFLOPS</title></rect>%n", x0 + k * barW,
                        TOP + plotH - h, barW * 0.95, h, COLOURS[k % COLOURS.length], names.get(k), shapeList.get(g), v));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + g * groupW + groupW / 2, TOP + plotH + 18, shapeList.get(g)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">shape M×K×N</text>%n",
                LEFT + plotW / 2, TOP + plotH + 38));
        for (int k = 0; k < names.size(); k++) {
            int x = LEFT + k * 140;
            int y = HEIGHT - 24;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y - 10, COLOURS[k % COLOURS.length], x + 16, y,
                    names.get(k)));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double niceCeiling(double x) {
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= x) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
