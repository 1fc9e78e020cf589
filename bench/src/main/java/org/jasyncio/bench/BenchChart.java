package org.jasyncio.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws one bench run as a PNG: a panel per workload and metric (spawn's tasks/s, pingpong's
 * ns per switch, the sleepers' wall time and peak RSS, echo's server CPU per message, ...),
 * one horizontal bar per peer with its median, and its ratio to virtual threads where they ran,
 * so a reader sees jasyncio against the baselines at a glance. Drawn with JFreeChart, headless.
 */
final class BenchChart {

    /**
     * One panel.
     *
     * @param title         what is measured, with its unit
     * @param lowerIsBetter whether a smaller value is the better one (time, memory, CPU)
     * @param byPeer        the median per peer, in the order to draw
     * @param baseline      the peer the ratios are against, or null for none
     * @param notes         per peer, a note shown instead of its ratio (a peer measured at
     *                      another size, whose value does not compare)
     */
    record Panel(String title, boolean lowerIsBetter, Map<String, Double> byPeer, String baseline,
            Map<String, String> notes) {
    }

    private static final int COLUMNS = 2;
    private static final int PANEL_WIDTH = 640;
    private static final int HEADING_HEIGHT = 56;

    private BenchChart() {
    }

    /**
     * Writes the panels as a PNG to {@code file}, under {@code heading}.
     *
     * @param file    the PNG to write (its folder is created)
     * @param heading the line at the top: mode, machine, runs
     * @param panels  the panels, drawn left to right, top to bottom
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, String heading, List<Panel> panels) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        int panelHeight = panelHeight(panels);
        int width = COLUMNS * PANEL_WIDTH;
        int height = HEADING_HEIGHT + Math.max(1, rows) * panelHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(heading, 16, 26);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("median per peer; blue: jasyncio, orange: Java virtual threads, grey: Netty; "
                    + "ratios are against virtual threads (above 1 is better)", 16, 46);
            for (int i = 0; i < panels.size(); i++) {
                int x = (i % COLUMNS) * PANEL_WIDTH;
                int y = HEADING_HEIGHT + (i / COLUMNS) * panelHeight;
                chart(panels.get(i)).draw(g, new Rectangle2D.Double(x, y, PANEL_WIDTH, panelHeight));
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static int panelHeight(List<Panel> panels) {
        int most = 1;
        for (Panel p : panels) {
            most = Math.max(most, p.byPeer().size());
        }
        return 90 + 34 * most;
    }

    private static JFreeChart chart(Panel panel) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Double base = panel.baseline() == null ? null : panel.byPeer().get(panel.baseline());
        for (Map.Entry<String, Double> e : panel.byPeer().entrySet()) {
            String note = panel.notes().get(e.getKey());
            data.addValue(e.getValue(), "median", note != null ? e.getKey() + " (" + note + ")"
                    : label(e.getKey(), e.getValue(), base, panel.lowerIsBetter()));
        }
        JFreeChart chart = ChartFactory.createBarChart(null, null, null, data, PlotOrientation.HORIZONTAL, false,
                false, false);
        chart.setTitle(new TextTitle(panel.title() + (panel.lowerIsBetter() ? " (lower is better)" : " (higher is better)"),
                new Font(Font.SANS_SERIF, Font.BOLD, 14)));
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(new Color(0xF4F4F4));
        plot.setRangeGridlinePaint(Color.GRAY);
        plot.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f);
        plot.getRangeAxis().setUpperMargin(0.25); // room for the value labels
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return colour((String) getPlot().getDataset().getColumnKey(column));
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.12);
        DecimalFormat format = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", format));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        plot.setRenderer(renderer);
        return chart;
    }

    /** The bar's name: the peer, and how it compares to the baseline (above 1 is better). */
    static String label(String peer, double value, Double base, boolean lowerIsBetter) {
        if (base == null || base.isNaN() || value <= 0 || peer.equals("java-vthreads")) {
            return peer;
        }
        double better = lowerIsBetter ? base / value : value / base;
        return String.format(Locale.ROOT, "%s (%.2fx)", peer, better);
    }

    private static Color colour(String peerLabel) {
        if (peerLabel.startsWith("jasyncio-virtual")) {
            return new Color(0x9DC3E6);
        }
        if (peerLabel.startsWith("jasyncio")) {
            return peerLabel.contains("2loops") ? new Color(0x1F4E79) : new Color(0x2E75B6);
        }
        if (peerLabel.startsWith("java-vthreads")) {
            return peerLabel.contains("1carrier") ? new Color(0xF4B183) : new Color(0xED7D31);
        }
        return new Color(0x7F7F7F);
    }
}
