module attributes {nf.model = "accepted-post-norm"} {
  nf.param @embed.tokens : tensor<256x64xf32> init <normal(2.000000e-02)> group <embedding> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wq : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wk : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wv : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wo : tensor<64x64xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.scale : tensor<64xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn.w_up : tensor<256x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.ffn.w_down : tensor<64x256xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.ffn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_norm.scale : tensor<64xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn.wq : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wk : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wv : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wo : tensor<64x64xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_norm.scale : tensor<64xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn.w_up : tensor<256x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.ffn.w_down : tensor<64x256xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.ffn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_norm.scale : tensor<64xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @lm_head.weight : tensor<256x64xf32> init <normal(2.000000e-02)> group <head> weight_decay(1.000000e-01) optimizer <adamw>
  func.func @forward(%arg0: tensor<8x8xi32> {nf.name = "tokens"}, %arg1: tensor<8x8xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x64xf32>
    %1 = nf.embedding %arg0, %0 : tensor<8x8xi32>, tensor<256x64xf32> -> tensor<8x8x64xf32>
    %2 = nf.get_param @layers.0.attn.wq : tensor<64x64xf32>
    %3 = nf.linear %1, %2 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %4 = nf.split_heads %3 : tensor<8x8x64xf32> -> tensor<8x8x4x16xf32>
    %5 = nf.get_param @layers.0.attn.wk : tensor<64x64xf32>
    %6 = nf.linear %1, %5 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %7 = nf.split_heads %6 : tensor<8x8x64xf32> -> tensor<8x8x4x16xf32>
    %8 = nf.get_param @layers.0.attn.wv : tensor<64x64xf32>
    %9 = nf.linear %1, %8 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %10 = nf.split_heads %9 : tensor<8x8x64xf32> -> tensor<8x8x4x16xf32>
    %11 = nf.attention %4, %7, %10 rope(1.000000e+04) : tensor<8x8x4x16xf32>
    %12 = nf.merge_heads %11 : tensor<8x8x4x16xf32> -> tensor<8x8x64xf32>
    %13 = nf.get_param @layers.0.attn.wo : tensor<64x64xf32>
    %14 = nf.linear %12, %13 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %15 = nf.add %1, %14 : tensor<8x8x64xf32>, tensor<8x8x64xf32>
    %16 = nf.get_param @layers.0.attn_norm.alpha : tensor<f32>
    %17 = nf.dyt %15, %16 : tensor<8x8x64xf32>, tensor<f32>
    %18 = nf.get_param @layers.0.attn_norm.scale : tensor<64xf32>
    %19 = nf.scale %17, %18 : tensor<8x8x64xf32>, tensor<64xf32>
    %20 = nf.get_param @layers.0.ffn.w_up : tensor<256x64xf32>
    %21 = nf.linear %19, %20 : tensor<8x8x64xf32>, tensor<256x64xf32> -> tensor<8x8x256xf32>
    %22 = nf.gelu %21 : tensor<8x8x256xf32>
    %23 = nf.get_param @layers.0.ffn.w_down : tensor<64x256xf32>
    %24 = nf.linear %22, %23 : tensor<8x8x256xf32>, tensor<64x256xf32> -> tensor<8x8x64xf32>
    %25 = nf.add %19, %24 : tensor<8x8x64xf32>, tensor<8x8x64xf32>
    %26 = nf.get_param @layers.0.ffn_norm.alpha : tensor<f32>
    %27 = nf.dyt %25, %26 : tensor<8x8x64xf32>, tensor<f32>
    %28 = nf.get_param @layers.0.ffn_norm.scale : tensor<64xf32>
    %29 = nf.scale %27, %28 : tensor<8x8x64xf32>, tensor<64xf32>
    %30 = nf.get_param @layers.1.attn.wq : tensor<64x64xf32>
    %31 = nf.linear %29, %30 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %32 = nf.split_heads %31 : tensor<8x8x64xf32> -> tensor<8x8x4x16xf32>
    %33 = nf.get_param @layers.1.attn.wk : tensor<64x64xf32>
    %34 = nf.linear %29, %33 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %35 = nf.split_heads %34 : tensor<8x8x64xf32> -> tensor<8x8x4x16xf32>
    %36 = nf.get_param @layers.1.attn.wv : tensor<64x64xf32>
    %37 = nf.linear %29, %36 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %38 = nf.split_heads %37 : tensor<8x8x64xf32> -> tensor<8x8x4x16xf32>
    %39 = nf.attention %32, %35, %38 rope(1.000000e+04) : tensor<8x8x4x16xf32>
    %40 = nf.merge_heads %39 : tensor<8x8x4x16xf32> -> tensor<8x8x64xf32>
    %41 = nf.get_param @layers.1.attn.wo : tensor<64x64xf32>
    %42 = nf.linear %40, %41 : tensor<8x8x64xf32>, tensor<64x64xf32> -> tensor<8x8x64xf32>
    %43 = nf.add %29, %42 : tensor<8x8x64xf32>, tensor<8x8x64xf32>
    %44 = nf.get_param @layers.1.attn_norm.alpha : tensor<f32>
    %45 = nf.dyt %43, %44 : tensor<8x8x64xf32>, tensor<f32>
    %46 = nf.get_param @layers.1.attn_norm.scale : tensor<64xf32>
    %47 = nf.scale %45, %46 : tensor<8x8x64xf32>, tensor<64xf32>
    %48 = nf.get_param @layers.1.ffn.w_up : tensor<256x64xf32>
    %49 = nf.linear %47, %48 : tensor<8x8x64xf32>, tensor<256x64xf32> -> tensor<8x8x256xf32>
    %50 = nf.gelu %49 : tensor<8x8x256xf32>
    %51 = nf.get_param @layers.1.ffn.w_down : tensor<64x256xf32>
    %52 = nf.linear %50, %51 : tensor<8x8x256xf32>, tensor<64x256xf32> -> tensor<8x8x64xf32>
    %53 = nf.add %47, %52 : tensor<8x8x64xf32>, tensor<8x8x64xf32>
    %54 = nf.get_param @layers.1.ffn_norm.alpha : tensor<f32>
    %55 = nf.dyt %53, %54 : tensor<8x8x64xf32>, tensor<f32>
    %56 = nf.get_param @layers.1.ffn_norm.scale : tensor<64xf32>
    %57 = nf.scale %55, %56 : tensor<8x8x64xf32>, tensor<64xf32>
    %58 = nf.get_param @lm_head.weight : tensor<256x64xf32>
    %59 = nf.linear %57, %58 : tensor<8x8x64xf32>, tensor<256x64xf32> -> tensor<8x8x256xf32>
    %60 = nf.cross_entropy %59, %arg1 : tensor<8x8x256xf32>, tensor<8x8xi32> -> tensor<f32>
    return %60 : tensor<f32>
  }
}

